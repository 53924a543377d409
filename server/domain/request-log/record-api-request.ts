import { config } from "../../config";
import { logger } from "../../observability/logger";
import { asyncCommitPool, prepared } from "@/server/domain/shared/async-commit-db";
import { redactBody } from "./redact-body";

export type ApiRequestSource = "partner_api" | "payment_webhook";

export interface ApiRequestRecord {
  source: ApiRequestSource;
  partnerId: string | null;
  apiKeyId: string | null;
  /** the first characters of the bearer key presented, known or not */
  keyPrefix: string | null;
  method: string;
  /** the route pattern, e.g. /api/v1/bookings/{reference}/confirm */
  route: string;
  path: string;
  /** the query string without its `?`, or null */
  query: string | null;
  status: number;
  /** the problem code of a refusal */
  code: string | null;
  durationMs: number;
  idempotencyKey: string | null;
  correlationId: string;
  replayed: boolean;
  ip: string | null;
  userAgent: string | null;
  bookingReferences: readonly string[];
  /** a facility the request names (facility_code in its body or query), when no booking says which */
  facilityCode: string | null;
  /** raw bodies: redacted and capped here, never stored as given */
  requestBody: string | null;
  responseBody: string | null;
}

const MAX_REFERENCES = 100;
const MAX_TEXT = 2048;

/** PostgreSQL `text` refuses NUL. */
const withoutNul = (text: string) => text.replaceAll("\u0000", "\uFFFD");

/** Text a PostgreSQL `text` column accepts: no NUL, bounded. */
function clean(value: string | null, max = MAX_TEXT): string | null {
  if (value === null) return null;
  return withoutNul(value).slice(0, max);
}

/**
 * The booking references a JSON body names: `reference` / `booking_reference` at the top
 * level, in `data[]` items and one level below (a list, an event's `data.booking`).
 */
export function bookingReferencesIn(json: string | null): string[] {
  if (!json) return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const visit = (node: unknown, depth: number) => {
    if (depth > 3 || node === null || typeof node !== "object" || found.size >= MAX_REFERENCES) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      if ((key === "reference" || key === "booking_reference") && typeof item === "string" && /^[A-Z0-9][A-Z0-9_-]{0,63}$/i.test(item)) {
        found.add(item.toUpperCase());
      } else if (typeof item === "object") visit(item, depth + 1);
    }
  };
  visit(value, 0);
  return [...found];
}

/** One row; its facility is the first named booking's, else the facility the call names. */
const INSERT_SQL = `
  INSERT INTO api_request_log (
    source, partner_id, api_key_id, key_prefix, method, route, path, query, status, code, duration_ms,
    idempotency_key, correlation_id, replayed, ip, user_agent, booking_references, facility_id,
    request_body, response_body, request_truncated, response_truncated)
  VALUES (
    $1, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9::int, $10, $11::int, $12, $13, $14::boolean, $15, $16, $17::text[],
    coalesce(
      (SELECT b.facility_id FROM bookings b WHERE b.reference = ANY($17::text[]) ORDER BY b.reference LIMIT 1),
      (SELECT f.id FROM facilities f WHERE f.code = $18)),
    $19, $20, $21::boolean, $22::boolean)`;

/**
 * Writes one request-log row (docs/request-log.md#when-it-is-written-and-why-no-answered-call-is-missing).
 * Called once per answer, after any work has committed and before the answer is returned,
 * so a call that got a response is in the table even if the process dies right after.
 * The insert is its own statement, outside every lock the work took, a named prepared
 * statement on the async-commit pool (no Prisma work per call, planned once per
 * connection), and commits without waiting for the WAL flush: the work and its stored
 * idempotent answer are already durable, and the log costs the request one round trip,
 * not a disk flush.
 *
 * A failed write never fails the request: the row goes to the structured log instead
 * (`api request log write failed`, bodies redacted), from which it can be recovered.
 */
export async function recordApiRequest(record: ApiRequestRecord): Promise<void> {
  // HOLDFAST_API_LOG=0: the benchmark's "log off" contender only (docs/request-log.md#what-it-costs).
  if (!config().requestLog.enabled) return;
  const request = redactBody(record.requestBody);
  const response = redactBody(record.responseBody);
  const references = [...new Set(record.bookingReferences.map((r) => r.toUpperCase()))].slice(0, MAX_REFERENCES);
  const row = {
    ...record,
    keyPrefix: clean(record.keyPrefix, 32),
    path: clean(record.path) ?? "",
    query: clean(record.query),
    idempotencyKey: clean(record.idempotencyKey, 255),
    userAgent: clean(record.userAgent, 512),
    facilityCode: clean(record.facilityCode, 64),
    requestBody: request ? withoutNul(request.text) : null,
    responseBody: response ? withoutNul(response.text) : null,
    requestTruncated: request?.truncated ?? false,
    responseTruncated: response?.truncated ?? false,
    bookingReferences: references,
  };
  const values = [
    row.source, row.partnerId, row.apiKeyId, row.keyPrefix, row.method, row.route, row.path, row.query, row.status, row.code,
    row.durationMs, row.idempotencyKey, row.correlationId, row.replayed, row.ip, row.userAgent, references, row.facilityCode,
    row.requestBody, row.responseBody, row.requestTruncated, row.responseTruncated,
  ];
  try {
    await prepared(asyncCommitPool(), "request_log_insert", INSERT_SQL, values);
  } catch (error) {
    logger.error({ err: error, correlationId: record.correlationId, apiRequest: row }, "api request log write failed");
  }
}
