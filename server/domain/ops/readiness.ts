import { getDb, type Db } from "../../db";
import { logger } from "../../observability/logger";
import { readSupervisorStatus, type SupervisorCheck } from "./supervisor-status";
import { TimeoutError, withTimeout } from "./timeout";
import { WORKER_HEARTBEAT_MAX_AGE_SECONDS, readWorkerStatus } from "./worker-status";

/**
 * Readiness for /api/health: can this instance reach the database (within the budget),
 * and has a worker beaten recently? Under `npm start`, is none of its processes in a crash
 * loop (./supervisor-status.ts)? Failures are described in a sentence with no internals;
 * the detail goes to the log.
 */

const READINESS_TIMEOUT_MS = 2000;

export interface ReadinessReport {
  status: "ok" | "unavailable";
  checks: {
    database: { ok: boolean; latency_ms: number | null; error?: string };
    worker: { ok: boolean; last_beat_at: string | null; age_seconds: number | null; error?: string };
    /** only under npm start's supervisor */
    processes?: SupervisorCheck;
  };
}

export interface ReadinessOptions {
  db?: Db;
  timeoutMs?: number;
}

function describe(error: unknown, what: string): string {
  return error instanceof TimeoutError ? error.message : `${what} failed.`;
}

export async function checkReadiness({ db, timeoutMs = READINESS_TIMEOUT_MS }: ReadinessOptions = {}): Promise<ReadinessReport> {
  const client = db ?? getDb();
  const database: ReadinessReport["checks"]["database"] = { ok: false, latency_ms: null };
  const worker: ReadinessReport["checks"]["worker"] = { ok: false, last_beat_at: null, age_seconds: null };

  const started = performance.now();
  try {
    await withTimeout(client.$queryRaw`select 1`, timeoutMs, "The database");
    database.ok = true;
    database.latency_ms = Math.round((performance.now() - started) * 10) / 10;
  } catch (error) {
    logger.warn({ err: error }, "readiness: database check failed");
    database.error = describe(error, "The database check");
  }

  if (!database.ok) {
    worker.error = "Not checked: the database is unavailable.";
  } else {
    try {
      const status = await withTimeout(readWorkerStatus(client), timeoutMs, "The worker heartbeat query");
      worker.ok = status.alive;
      worker.last_beat_at = status.lastBeatAt?.toISOString() ?? null;
      worker.age_seconds = status.ageSeconds === null ? null : Math.round(status.ageSeconds);
      if (!status.alive) {
        worker.error =
          status.lastBeatAt === null
            ? "No worker has reported a heartbeat yet."
            : `The newest worker heartbeat is older than ${WORKER_HEARTBEAT_MAX_AGE_SECONDS} s.`;
      }
    } catch (error) {
      logger.warn({ err: error }, "readiness: worker heartbeat check failed");
      worker.error = describe(error, "The worker heartbeat check");
    }
  }

  const processes = readSupervisorStatus();
  if (processes && !processes.ok) logger.error({ crash_loop: processes.crash_loop }, "readiness: a supervised process is in a crash loop");
  const ok = database.ok && worker.ok && (processes?.ok ?? true);
  return { status: ok ? "ok" : "unavailable", checks: { database, worker, ...(processes ? { processes } : {}) } };
}
