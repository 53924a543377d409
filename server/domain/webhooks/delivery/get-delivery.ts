import { z } from "zod";
import { getDb } from "../../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { holds } from "@/server/domain/shared/authorize";
import { DomainError, forbidden } from "@/server/domain/shared/errors";
import { DELIVERY_FROM, deliveryWhere } from "./delivery-filter";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";

/**
 * One delivery as support reads it: the event it carries (payload included), the
 * endpoint, and every attempt — trigger and who triggered it, timings, the answer (first
 * 2 KB), the failure class, the request headers as sent minus anything secret, and which
 * secret versions signed it. A delivery of an event outside a site manager's facilities
 * is "not found", like one that does not exist.
 */

const RESPONSE_BODY_PREVIEW_BYTES = 2048;

export const DeliveryIdInput = z.object({ deliveryId: z.string().trim().regex(ID_PATTERN.msg, NOT_AN_ID.msg) }).strict();

/** Header names never shown, whatever an attempt stored (the signature is stored redacted already). */
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-webhook-secret)$/i;

export interface DeliveryAttemptView {
  id: string;
  attemptNumber: number;
  trigger: "SCHEDULED" | "RETRY" | "MANUAL_REPLAY" | "BULK_REPLAY" | "TEST";
  triggeredBy: { id: string; email: string; name: string } | null;
  startedAt: Date;
  durationMs: number | null;
  responseStatus: number | null;
  /** at most RESPONSE_BODY_PREVIEW_BYTES of the answer */
  responseBody: string | null;
  responseBodyTruncated: boolean;
  failureClass: string | null;
  errorMessage: string | null;
  requestHeaders: Record<string, string>;
  /** e.g. ["secret_v2", "secret_v1"] during a rotation */
  signedWith: string[];
  correlationId: string | null;
}

export interface DeliveryDetail {
  id: string;
  status: "PENDING" | "RETRYING" | "SUCCEEDED" | "DEAD";
  attemptCount: number;
  lastStatus: number | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  succeededAt: Date | null;
  deadAt: Date | null;
  createdAt: Date;
  event: {
    id: string;
    type: string;
    schemaVersion: number;
    aggregateType: string;
    aggregateId: string;
    aggregateVersion: number;
    correlationId: string | null;
    createdAt: Date;
    data: unknown;
  };
  endpoint: { id: string; url: string; status: "ACTIVE" | "DISABLED"; disabledReason: string | null; partnerId: string; partnerCode: string; deleted: boolean };
  facility: { code: string; name: string; timezone: string } | null;
  booking: { reference: string; status: string } | null;
  attempts: DeliveryAttemptView[];
}

interface RawDelivery {
  id: string;
  status: DeliveryDetail["status"];
  attempt_count: number;
  last_status: number | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  succeeded_at: Date | null;
  dead_at: Date | null;
  created_at: Date;
  event_id: string;
  event_type: string;
  schema_version: number;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  correlation_id: string | null;
  event_created_at: Date;
  data: unknown;
  endpoint_id: string;
  endpoint_url: string;
  endpoint_status: "ACTIVE" | "DISABLED";
  disabled_reason: string | null;
  endpoint_deleted: boolean;
  partner_id: string;
  partner_code: string;
  facility_code: string | null;
  facility_name: string | null;
  facility_timezone: string | null;
  booking_reference: string | null;
  booking_status: string | null;
}

interface RawAttempt {
  id: string;
  attempt_number: number;
  trigger: DeliveryAttemptView["trigger"];
  triggered_by_id: string | null;
  user_email: string | null;
  user_name: string | null;
  started_at: Date;
  duration_ms: number | null;
  response_status: number | null;
  response_body: string | null;
  failure_class: string | null;
  error_message: string | null;
  request_headers: unknown;
  signed_with: string[];
  correlation_id: string | null;
}

/** The stored request headers as strings, anything that could authenticate a request left out. */
function publicRequestHeaders(stored: unknown): Record<string, string> {
  if (!stored || typeof stored !== "object" || Array.isArray(stored)) return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(stored as Record<string, unknown>)) {
    if (SECRET_HEADERS.test(name) || value === null || value === undefined) continue;
    out[name] = String(value);
  }
  return out;
}

/** The first `RESPONSE_BODY_PREVIEW_BYTES` bytes of a body (UTF-8, never splitting a character). */
function previewBody(body: string | null): { body: string | null; truncated: boolean } {
  if (body === null) return { body: null, truncated: false };
  const bytes = Buffer.from(body, "utf8");
  if (bytes.length <= RESPONSE_BODY_PREVIEW_BYTES) return { body, truncated: false };
  // Decoding a cut UTF-8 sequence yields U+FFFD at the end; drop it.
  return { body: bytes.subarray(0, RESPONSE_BODY_PREVIEW_BYTES).toString("utf8").replace(/\uFFFD+$/, ""), truncated: true };
}

export async function getDelivery(raw: z.input<typeof DeliveryIdInput>, actor: Actor): Promise<DeliveryDetail> {
  if (!holds(actor, "delivery.read")) throw forbidden("Your role may not read webhook deliveries.");
  if (actor.type === "PARTNER" || actor.type === "PAYMENT_PROVIDER") throw forbidden();
  const { deliveryId } = parseOrRefuse(DeliveryIdInput, raw);
  const db = getDb();
  const rows = await db.$queryRaw<RawDelivery[]>`
    SELECT d.id, d.status::text AS status, d.attempt_count, d.last_status, d.last_attempt_at, d.next_attempt_at,
           d.succeeded_at, d.dead_at, d.created_at,
           e.id AS event_id, e.type AS event_type, e.schema_version, e.aggregate_type, e.aggregate_id, e.aggregate_version,
           e.correlation_id, e.created_at AS event_created_at, e.data,
           ep.id AS endpoint_id, ep.url AS endpoint_url, ep.status::text AS endpoint_status, ep.disabled_reason,
           (ep.deleted_at IS NOT NULL) AS endpoint_deleted, ep.partner_id, p.code AS partner_code,
           f.code AS facility_code, f.name AS facility_name, f.timezone AS facility_timezone,
           b.reference AS booking_reference, b.status::text AS booking_status
    FROM ${DELIVERY_FROM}
    JOIN partners p ON p.id = ep.partner_id
    LEFT JOIN facilities f ON f.id = e.facility_id
    LEFT JOIN bookings b ON b.id = e.booking_id
    WHERE d.id = ${deliveryId} AND ${deliveryWhere({}, actor)}`;
  const delivery = rows[0];
  if (!delivery) throw new DomainError("NOT_FOUND", `Webhook delivery ${deliveryId} was not found.`, { delivery_id: deliveryId });

  const attempts = await db.$queryRaw<RawAttempt[]>`
    SELECT a.id, a.attempt_number, a.trigger::text AS trigger, a.triggered_by_id, u.email AS user_email, u.name AS user_name,
           a.started_at, a.duration_ms, a.response_status, a.response_body, a.failure_class::text AS failure_class,
           a.error_message, a.request_headers, a.signed_with, a.correlation_id
    FROM webhook_attempts a LEFT JOIN users u ON u.id = a.triggered_by_id
    WHERE a.delivery_id = ${deliveryId}
    ORDER BY a.attempt_number, a.started_at`;

  return {
    id: delivery.id,
    status: delivery.status,
    attemptCount: delivery.attempt_count,
    lastStatus: delivery.last_status,
    lastAttemptAt: delivery.last_attempt_at,
    nextAttemptAt: delivery.next_attempt_at,
    succeededAt: delivery.succeeded_at,
    deadAt: delivery.dead_at,
    createdAt: delivery.created_at,
    event: {
      id: delivery.event_id,
      type: delivery.event_type,
      schemaVersion: delivery.schema_version,
      aggregateType: delivery.aggregate_type,
      aggregateId: delivery.aggregate_id,
      aggregateVersion: delivery.aggregate_version,
      correlationId: delivery.correlation_id,
      createdAt: delivery.event_created_at,
      data: delivery.data,
    },
    endpoint: {
      id: delivery.endpoint_id,
      url: delivery.endpoint_url,
      status: delivery.endpoint_status,
      disabledReason: delivery.disabled_reason,
      partnerId: delivery.partner_id,
      partnerCode: delivery.partner_code,
      deleted: delivery.endpoint_deleted,
    },
    facility: delivery.facility_code ? { code: delivery.facility_code, name: delivery.facility_name!, timezone: delivery.facility_timezone! } : null,
    booking: delivery.booking_reference ? { reference: delivery.booking_reference, status: delivery.booking_status! } : null,
    attempts: attempts.map((a) => {
      const preview = previewBody(a.response_body);
      return {
        id: a.id,
        attemptNumber: a.attempt_number,
        trigger: a.trigger,
        triggeredBy: a.triggered_by_id && a.user_email ? { id: a.triggered_by_id, email: a.user_email, name: a.user_name ?? a.user_email } : null,
        startedAt: a.started_at,
        durationMs: a.duration_ms,
        responseStatus: a.response_status,
        responseBody: preview.body,
        responseBodyTruncated: preview.truncated,
        failureClass: a.failure_class,
        errorMessage: a.error_message,
        requestHeaders: publicRequestHeaders(a.request_headers),
        signedWith: a.signed_with,
        correlationId: a.correlation_id,
      };
    }),
  };
}

