import type { Task } from "graphile-worker";
import { deleteExpiredIdempotencyRecords } from "../domain/ops/delete-expired-idempotency-records";
import { CleanupPayload, jobCorrelationId, parsePayload } from "./context";

export const CLEANUP_IDEMPOTENCY_RECORDS = "cleanup_idempotency_records";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      cleanup_idempotency_records: CleanupPayload;
    }
  }
}

/** Deletes expired idempotency records in batches (idempotent: a rerun finds fewer or none). */
export const cleanupIdempotencyRecords: Task<"cleanup_idempotency_records"> = async (payload, helpers) => {
  const input = parsePayload(CleanupPayload, payload, helpers);
  const result = await deleteExpiredIdempotencyRecords({
    batchSize: input.batchSize,
    signal: helpers.abortSignal,
  });
  helpers.logger.info(`Deleted ${result.deleted} expired idempotency record(s)`, {
    correlationId: jobCorrelationId(input, helpers),
    ...result,
  });
};
