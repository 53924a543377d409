import { Logger as GraphileLogger, type LogLevel } from "graphile-worker";
import type { Logger } from "pino";

/**
 * graphile-worker's logger, written as pino JSON lines. Its scope (job slot, task
 * identifier, job id) becomes fields; an `error` in the metadata becomes pino's `err`.
 * Job rows in the metadata are cut down to what identifies them: payloads stay out of logs.
 */

const JOB_FIELDS = ["id", "task_identifier", "key", "attempts", "max_attempts", "run_at", "last_error"] as const;

function summariseJob(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const job = value as Record<string, unknown>;
  return Object.fromEntries(JOB_FIELDS.filter((k) => job[k] !== undefined).map((k) => [k, job[k]]));
}

function safeFields(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (key === "error") out.err = value;
    else if (key === "job") out.job = summariseJob(value);
    else if (Array.isArray(value) && /jobs$/i.test(key)) out[key] = value.map(summariseJob);
    else if (key === "worker" || key === "workerPool" || key === "pool" || key === "ctx") continue; // internals, not loggable
    else out[key] = value;
  }
  return out;
}

export function graphileLogger(log: Logger): GraphileLogger {
  return new GraphileLogger((scope) => {
    // graphile-worker's own workerId names one job slot; keep ours (the process) as workerId.
    const { workerId: slotId, ...rest } = scope as Record<string, unknown>;
    const fields = Object.entries({ ...rest, slotId }).filter(([, value]) => value !== undefined && value !== null);
    const child = log.child(Object.fromEntries(fields));
    return (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
      const payload = safeFields(meta ?? {});
      switch (level) {
        case "error":
          child.error(payload, message);
          break;
        case "warning":
          child.warn(payload, message);
          break;
        case "info":
          // A line per completed job (every few seconds for the inventory tick) drowns
          // the log; failures still arrive as warnings and errors.
          if (message.startsWith("Completed task")) child.debug(payload, message);
          else child.info(payload, message);
          break;
        default:
          child.debug(payload, message);
      }
    };
  });
}
