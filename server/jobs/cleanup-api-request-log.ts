import type { Task } from "graphile-worker";
import { deleteOldApiRequestLogs } from "../domain/ops/delete-old-api-request-logs";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/** Deletes api_request_log rows past HOLDFAST_API_LOG_RETENTION_DAYS (30) in batches (idempotent). */
export const cleanupApiRequestLog: Task<typeof JOBS.cleanupApiRequestLog> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.cleanupApiRequestLog], payload, helpers);
  const result = await deleteOldApiRequestLogs({
    batchSize: input.batchSize,
    signal: helpers.abortSignal,
  });
  helpers.logger.info(`Deleted ${result.deleted} api_request_log row(s) past the retention`, {
    correlationId: jobCorrelationId(input, helpers),
    ...result,
  });
};
