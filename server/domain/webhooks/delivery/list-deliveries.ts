import { z } from "zod";
import { isValidDate } from "@/server/domain/shared/safe-input";
import { getDb } from "../../../db";
import { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { holds } from "@/server/domain/shared/authorize";
import { DomainError, forbidden } from "@/server/domain/shared/errors";
import { DELIVERY_FROM, DeliveryFilter, deliveryWhere } from "./delivery-filter";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * The console's delivery log: deliveries matching one DeliveryFilter (the same filter the
 * CSV export, the replay preview and the bulk replay use), newest first, a page at a
 * time with a keyset cursor — so page 1,000 of 100k rows costs what page 1 does, and rows
 * arriving while someone scrolls never shift the pages they are reading.
 *
 * A site manager sees only deliveries of their facilities' events (deliveryWhere puts the
 * scope in the WHERE).
 */

const DELIVERY_PAGE_MAX = 500;
/** The most rows one CSV export carries; the export says when there were more. */
const DELIVERY_EXPORT_CAP = 10_000;
/** Counting stops here: "more than 100,000" is all a filter bar needs to say. */
const DELIVERY_COUNT_CAP = 100_000;

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(msg_[0-9a-z]{26})$/;

export const ListDeliveriesInput = z
  .object({
    filter: DeliveryFilter.default({}),
    /** the last row of the previous page, as `nextCursor` returned it */
    cursor: z.string().max(100).regex(CURSOR, "Not a delivery-log cursor").nullish(),
    limit: z.number().int().min(1).max(DELIVERY_PAGE_MAX).default(100),
    /** sent by TanStack's infinite queries; only forward (older) pages exist */
    direction: z.literal("forward").optional(),
  })
  .strict();
export type ListDeliveriesInput = z.input<typeof ListDeliveriesInput>;

export const DeliveryFilterInput = z.object({ filter: DeliveryFilter.default({}) }).strict();

export interface DeliveryRow {
  id: string;
  status: "PENDING" | "RETRYING" | "SUCCEEDED" | "DEAD";
  attemptCount: number;
  lastStatus: number | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  succeededAt: Date | null;
  deadAt: Date | null;
  createdAt: Date;
  /** of the last attempt */
  lastFailureClass: string | null;
  lastDurationMs: number | null;
  eventId: string;
  eventType: string;
  correlationId: string | null;
  endpointId: string;
  endpointUrl: string;
  partnerId: string;
  partnerCode: string;
  facilityCode: string | null;
  /** the facility's IANA zone, for showing times; null for events of no facility */
  facilityTimezone: string | null;
  bookingReference: string | null;
}

export interface DeliveryPage {
  rows: DeliveryRow[];
  nextCursor: string | null;
}

interface RawRow {
  id: string;
  status: DeliveryRow["status"];
  attempt_count: number;
  last_status: number | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  succeeded_at: Date | null;
  dead_at: Date | null;
  created_at: Date;
  last_failure_class: string | null;
  last_duration_ms: number | null;
  event_id: string;
  event_type: string;
  correlation_id: string | null;
  endpoint_id: string;
  endpoint_url: string;
  partner_id: string;
  partner_code: string;
  facility_code: string | null;
  facility_timezone: string | null;
  booking_reference: string | null;
}

function readable(actor: Actor): void {
  if (!holds(actor, "delivery.read")) throw forbidden("Your role may not read webhook deliveries.");
  if (actor.type === "PARTNER" || actor.type === "PAYMENT_PROVIDER") throw forbidden();
}

function cursorOf(row: { created_at: Date; id: string }): string {
  return `${row.created_at.toISOString()}|${row.id}`;
}

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  const match = CURSOR.exec(cursor);
  const createdAt = match ? new Date(match[1]!) : null;
  if (!match || !createdAt || !isValidDate(createdAt)) {
    throw new DomainError("VALIDATION_FAILED", "cursor: Not a delivery-log cursor", {}, [{ path: "cursor", message: "Not a delivery-log cursor" }]);
  }
  return { createdAt, id: match[2]! };
}

async function queryPage(filter: DeliveryFilter, actor: Actor, cursor: string | null | undefined, limit: number): Promise<DeliveryPage> {
  const after = cursor ? parseCursor(cursor) : null;
  const keyset = after ? Prisma.sql`AND (d.created_at, d.id) < (${after.createdAt}, ${after.id})` : Prisma.empty;
  const rows = await getDb().$queryRaw<RawRow[]>`
    SELECT d.id, d.status::text AS status, d.attempt_count, d.last_status, d.last_attempt_at, d.next_attempt_at,
           d.succeeded_at, d.dead_at, d.created_at,
           la.failure_class::text AS last_failure_class, la.duration_ms AS last_duration_ms,
           e.id AS event_id, e.type AS event_type, e.correlation_id,
           ep.id AS endpoint_id, ep.url AS endpoint_url, ep.partner_id, p.code AS partner_code,
           f.code AS facility_code, f.timezone AS facility_timezone, b.reference AS booking_reference
    FROM ${DELIVERY_FROM}
    JOIN partners p ON p.id = ep.partner_id
    LEFT JOIN facilities f ON f.id = e.facility_id
    LEFT JOIN bookings b ON b.id = e.booking_id
    LEFT JOIN LATERAL (
      SELECT a.failure_class, a.duration_ms FROM webhook_attempts a
      WHERE a.delivery_id = d.id ORDER BY a.attempt_number DESC LIMIT 1
    ) la ON TRUE
    WHERE ${deliveryWhere(filter, actor)} ${keyset}
    ORDER BY d.created_at DESC, d.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  return {
    rows: page.map(toRow),
    nextCursor: rows.length > limit ? cursorOf(page.at(-1)!) : null,
  };
}

function toRow(r: RawRow): DeliveryRow {
  return {
    id: r.id,
    status: r.status,
    attemptCount: r.attempt_count,
    lastStatus: r.last_status,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.next_attempt_at,
    succeededAt: r.succeeded_at,
    deadAt: r.dead_at,
    createdAt: r.created_at,
    lastFailureClass: r.last_failure_class,
    lastDurationMs: r.last_duration_ms,
    eventId: r.event_id,
    eventType: r.event_type,
    correlationId: r.correlation_id,
    endpointId: r.endpoint_id,
    endpointUrl: r.endpoint_url,
    partnerId: r.partner_id,
    partnerCode: r.partner_code,
    facilityCode: r.facility_code,
    facilityTimezone: r.facility_timezone,
    bookingReference: r.booking_reference,
  };
}

/** One page of the delivery log, newest first. */
export async function listDeliveries(raw: ListDeliveriesInput, actor: Actor): Promise<DeliveryPage> {
  readable(actor);
  const input = parseOrRefuse(ListDeliveriesInput, raw);
  return queryPage(input.filter, actor, input.cursor, input.limit);
}

/**
 * Every delivery the filter matches, for the CSV export, up to DELIVERY_EXPORT_CAP rows
 * (newest first); `truncated` says there were more.
 */
export async function exportDeliveries(
  raw: z.input<typeof DeliveryFilterInput>,
  actor: Actor,
): Promise<{ rows: DeliveryRow[]; truncated: boolean; cap: number }> {
  readable(actor);
  const { filter } = parseOrRefuse(DeliveryFilterInput, raw);
  const page = await queryPage(filter, actor, null, DELIVERY_EXPORT_CAP);
  return { rows: page.rows, truncated: page.nextCursor !== null, cap: DELIVERY_EXPORT_CAP };
}

/** How many deliveries the filter matches, counted up to DELIVERY_COUNT_CAP (`capped` when there are more). */
export async function countDeliveries(
  raw: z.input<typeof DeliveryFilterInput>,
  actor: Actor,
): Promise<{ count: number; capped: boolean }> {
  readable(actor);
  const { filter } = parseOrRefuse(DeliveryFilterInput, raw);
  const rows = await getDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM webhook_deliveries d WHERE ${deliveryWhere(filter, actor)} LIMIT ${DELIVERY_COUNT_CAP + 1}
    ) matched`;
  const n = rows[0]?.n ?? 0;
  return { count: Math.min(n, DELIVERY_COUNT_CAP), capped: n > DELIVERY_COUNT_CAP };
}
