import { getDb } from "../../db";
import { deleteInBatches, type BatchedDeleteOptions, type BatchedDeleteResult } from "./batched-delete";

const API_REQUEST_LOG_RETENTION_DAYS = 30;

/** Retention for api_request_log: rows older than `retentionDays` (30) are deleted. */
export function deleteOldApiRequestLogs(
  { retentionDays = API_REQUEST_LOG_RETENTION_DAYS, ...options }: BatchedDeleteOptions & { retentionDays?: number } = {},
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
