import { getDb } from "../../db";
import { config } from "../../config";
import { deleteInBatches, type BatchedDeleteOptions, type BatchedDeleteResult } from "./batched-delete";

/**
 * Retention for api_request_log (docs/request-log.md#retention): rows older than
 * `retentionDays` are deleted, by default HOLDFAST_API_LOG_RETENTION_DAYS (30).
 */
export function deleteOldApiRequestLogs(
  { retentionDays = config().requestLog.retentionDays, ...options }: BatchedDeleteOptions & { retentionDays?: number } = {},
): Promise<BatchedDeleteResult> {
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new RangeError("retentionDays must be a positive integer.");
  const db = getDb();
  return deleteInBatches(
    (limit) => db.$executeRaw`
      delete from api_request_log
      where id in (
        select id from api_request_log
        where created_at < now() - make_interval(days => ${retentionDays}::int)
        order by created_at
        limit ${limit}::int
        for update skip locked
      )`,
    { ...options, batchSize: options.batchSize ?? 1000 },
  );
}
