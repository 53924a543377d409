import type { Task } from "graphile-worker";
import { enforceRetention } from "../domain/ops/enforce-retention";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/** Applies every retention rule of docs/operations.md#data-retention in batches (idempotent). */
export const enforceRetentionTask: Task<typeof JOBS.enforceRetention> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.enforceRetention], payload, helpers);
  const result = await enforceRetention({ batchSize: input.batchSize, signal: helpers.abortSignal });
  const removed = Object.entries(result.removed).filter(([, n]) => n > 0);
  helpers.logger.info(
    removed.length ? `Retention removed ${removed.map(([rule, n]) => `${n} ${rule}`).join(", ")}` : "Retention: nothing past its age",
    { correlationId: jobCorrelationId(input, helpers), ...result },
  );
};
