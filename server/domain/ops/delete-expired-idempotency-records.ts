import { getDb } from "../../db";
import { deleteInBatches, type BatchedDeleteOptions, type BatchedDeleteResult } from "./batched-delete";

/**
 * Retention for the partner API's idempotency store: a record is kept until its
 * `expires_at` (at least 24 h, docs/partner-api.md#idempotency-keys) and removed after.
 * SKIP LOCKED leaves rows a concurrent request is touching for the next run.
 */
export function deleteExpiredIdempotencyRecords(options: BatchedDeleteOptions = {}): Promise<BatchedDeleteResult> {
  const db = getDb();
  return deleteInBatches(
    (limit) => db.$executeRaw`
      delete from idempotency_records
      where id in (
        select id from idempotency_records
        where expires_at < now()
        order by expires_at
        limit ${limit}::int
        for update skip locked
      )`,
    { ...options, batchSize: options.batchSize ?? 500 },
  );
}
