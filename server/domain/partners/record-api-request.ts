import { getDb } from "../../db";
import { logger } from "../../observability/logger";

export interface ApiRequestRecord {
  partnerId: string | null;
  apiKeyId: string | null;
  method: string;
  route: string;
  status: number;
  code: string | null;
  durationMs: number;
  correlationId: string;
  replayed: boolean;
}

/**
 * One row per partner API request (KPIs: success rate, 429s, auth failures, duplicates
 * absorbed). Written after the answer, off the request path; a lost row is a lost
 * statistic, never lost business data.
 */
export function recordApiRequest(record: ApiRequestRecord): void {
  void getDb()
    .$executeRaw`
      INSERT INTO api_request_log (partner_id, api_key_id, method, route, status, code, duration_ms, correlation_id, replayed)
      VALUES (${record.partnerId}::uuid, ${record.apiKeyId}::uuid, ${record.method}, ${record.route}, ${record.status},
              ${record.code}, ${record.durationMs}, ${record.correlationId}, ${record.replayed})`
    .catch((error: unknown) => logger.warn({ err: error, correlationId: record.correlationId }, "api request log write failed"));
}
