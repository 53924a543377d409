import type { Task } from "graphile-worker";
import { deleteExpiredIdempotencyRecords } from "../domain/ops/delete-expired-idempotency-records";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/** Deletes expired idempotency records in batches (idempotent: a rerun finds fewer or none). */
export const cleanupIdempotencyRecords: Task<typeof JOBS.cleanupIdempotencyRecords> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.cleanupIdempotencyRecords], payload, helpers);
  const result = await deleteExpiredIdempotencyRecords({
    batchSize: input.batchSize,
    signal: helpers.abortSignal,
  });
  helpers.logger.info(`Deleted ${result.deleted} expired idempotency record(s)`, {
    correlationId: jobCorrelationId(input, helpers),
    ...result,
  });
};
