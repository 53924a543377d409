import type { Task } from "graphile-worker";
import { deleteOldApiRequestLogs } from "../domain/ops/delete-old-api-request-logs";
import { CleanupPayload, jobCorrelationId, parsePayload } from "./context";

export const CLEANUP_API_REQUEST_LOG = "cleanup_api_request_log";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      cleanup_api_request_log: CleanupPayload;
    }
  }
}

/** Deletes api_request_log rows older than 30 days in batches (idempotent). */
export const cleanupApiRequestLog: Task<"cleanup_api_request_log"> = async (payload, helpers) => {
  const input = parsePayload(CleanupPayload, payload, helpers);
  const result = await deleteOldApiRequestLogs({
    batchSize: input.batchSize,
    signal: helpers.abortSignal,
  });
  helpers.logger.info(`Deleted ${result.deleted} api_request_log row(s) older than 30 days`, {
    correlationId: jobCorrelationId(input, helpers),
    ...result,
  });
};
