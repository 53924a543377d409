import { z } from "zod";
import { pgDate } from "@/server/domain/shared/safe-input";
import { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { EVENT_TYPES } from "@/shared/event-types";
import { DELIVERY_STATUSES, STATUS_CLASSES, type DeliveryStatus } from "@/shared/delivery-filter-values";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";

/**
 * One filter over webhook deliveries, shared by the console's delivery log, its CSV
 * export, the replay preview count and the bulk replay job — so what the preview
 * counted is exactly what the replay sends.
 *
 * Every field is optional; fields combine with AND. `from`/`to` bound the delivery's
 * creation time (the event's fan-out), `to` exclusive.
 */

export const DeliveryFilter = z
  .object({
    status: z.array(z.enum(DELIVERY_STATUSES)).max(DELIVERY_STATUSES.length).optional(),
    statusClass: z.enum(STATUS_CLASSES).optional(),
    eventType: z.enum(EVENT_TYPES).optional(),
    endpointId: z.string().regex(ID_PATTERN.ep, NOT_AN_ID.ep).optional(),
    partnerId: z.uuid().optional(),
    from: pgDate().optional(),
    to: pgDate().optional(),
    bookingReference: z.string().trim().min(1).max(64).optional(),
    correlationId: z.string().trim().min(1).max(200).optional(),
    eventId: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: "`from` must be before `to`", path: ["to"] });

export type DeliveryFilter = z.output<typeof DeliveryFilter>;

/** Each status as an enum literal: the planner matches a literal, not a parameter, to a partial index. */
const STATUS_LITERAL: Readonly<Record<DeliveryStatus, Prisma.Sql>> = {
  PENDING: Prisma.raw(`'PENDING'::"DeliveryStatus"`),
  RETRYING: Prisma.raw(`'RETRYING'::"DeliveryStatus"`),
  SUCCEEDED: Prisma.raw(`'SUCCEEDED'::"DeliveryStatus"`),
  DEAD: Prisma.raw(`'DEAD'::"DeliveryStatus"`),
};

/**
 * The WHERE clause (without the keyword) over `webhook_deliveries d` alone (so a count
 * needs no join), limited to what the actor may see: a user scoped to facilities sees
 * deliveries of their facilities' events only (`d.facility_id`, the event's, copied at
 * fan-out). It also fits DELIVERY_FROM below. Statuses compare the enum with literals,
 * so "undelivered" and "dead" use their partial indexes (docs/performance.md).
 */
export function deliveryWhere(filter: DeliveryFilter, actor: Actor): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE ${scopeSql(actor, Prisma.sql`d.facility_id`)}`];
  if (filter.status?.length) {
    const statuses = [...new Set(filter.status)].map((status) => STATUS_LITERAL[status]);
    parts.push(Prisma.sql`d.status IN (${Prisma.join(statuses)})`);
  }
  switch (filter.statusClass) {
    case undefined:
      break;
    case "none":
      parts.push(Prisma.sql`d.last_status IS NULL`);
      break;
    default: {
      const low = Number(filter.statusClass[0]) * 100;
      parts.push(Prisma.sql`d.last_status >= ${low} AND d.last_status < ${low + 100}`);
    }
  }
  if (filter.eventType) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM events fe WHERE fe.id = d.event_id AND fe.type = ${filter.eventType})`);
  if (filter.endpointId) parts.push(Prisma.sql`d.endpoint_id = ${filter.endpointId}`);
  if (filter.partnerId) {
    parts.push(Prisma.sql`d.endpoint_id IN (SELECT fep.id FROM webhook_endpoints fep WHERE fep.partner_id = ${filter.partnerId}::uuid)`);
  }
  if (filter.from) parts.push(Prisma.sql`d.created_at >= ${filter.from}`);
  if (filter.to) parts.push(Prisma.sql`d.created_at < ${filter.to}`);
  if (filter.eventId) parts.push(Prisma.sql`d.event_id = ${filter.eventId}`);
  if (filter.correlationId) {
    parts.push(Prisma.sql`d.event_id IN (SELECT fe.id FROM events fe WHERE fe.correlation_id = ${filter.correlationId})`);
  }
  if (filter.bookingReference) {
    parts.push(Prisma.sql`d.event_id IN (SELECT fe.id FROM events fe JOIN bookings fb ON fb.id = fe.booking_id
      WHERE fb.reference = ${filter.bookingReference.toUpperCase()})`);
  }
  return Prisma.join(parts, " AND ");
}

/** FROM clause the WHERE above expects. */
export const DELIVERY_FROM = Prisma.sql`webhook_deliveries d
  JOIN events e ON e.id = d.event_id
  JOIN webhook_endpoints ep ON ep.id = d.endpoint_id`;
