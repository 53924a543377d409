import { z } from "zod";
import { getDb } from "../../db";
import type { BookingStatus, UnitStatus } from "../../generated/prisma/enums";
import { effectiveStatus, LIVE_STATUSES } from "../bookings/lifecycle";
import type { Actor } from "@/server/domain/shared/actor";
import { notFound } from "@/server/domain/shared/errors";
import { facilityIdInScope } from "./facility-board";
import { FacilityCodeInput } from "./list-facility-pools";
import { listUnitBlocks } from "./list-unit-blocks";
import type { UnitBlockView } from "./unit-block-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * One unit's history for the board's drawer: what it is now, the bookings it has carried,
 * its maintenance blocks (active, scheduled, ended, cancelled) and the events that touched
 * it — its own unit.* events and those of its bookings — newest first. Outside the
 * actor's facilities the unit is not found.
 */

export const UnitHistoryInput = FacilityCodeInput.extend({
  unitCode: z.string().trim().min(1).max(32),
}).strict();
export type UnitHistoryInput = z.input<typeof UnitHistoryInput>;

const UNIT_HISTORY_LIMIT = 50;

export interface UnitHistoryBooking {
  reference: string;
  /** effective: a hold past its expiry reads EXPIRED */
  status: BookingStatus;
  live: boolean;
  partnerCode: string;
  partnerBookingReference: string;
  customerName: string;
  moveInDate: string;
  holdExpiresAt: Date;
  createdAt: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  idempotencyKey: string | null;
  inventoryVersion: number;
}

export interface UnitHistoryEvent {
  id: string;
  type: string;
  createdAt: Date;
  correlationId: string | null;
  /** the booking the event belongs to, if any */
  bookingReference: string | null;
  /** a one-line summary of the event's data */
  summary: string;
}

export interface UnitHistory {
  facilityId: string;
  facilityCode: string;
  facilityTimezone: string;
  unit: {
    code: string;
    floor: number;
    status: UnitStatus;
    statusChangedAt: Date;
    unitTypeCode: string;
    unitTypeName: string;
  };
  /** the live booking on the unit, if any */
  currentBooking: UnitHistoryBooking | null;
  bookings: UnitHistoryBooking[];
  blocks: UnitBlockView[];
  events: UnitHistoryEvent[];
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** What the drawer shows of an event's data: the fields that say what happened. */
export function summariseEvent(type: string, data: Record<string, unknown>): string {
  const parts: string[] = [];
  if (type === "inventory.updated" || type === "inventory.corrected") {
    const counters = ["available", "held", "booked", "occupied", "blocked"]
      .filter((key) => typeof data[key] === "number")
      .map((key) => `${key} ${data[key] as number}`);
    if (counters.length) parts.push(counters.join(", "));
    if (text(data.cause)) parts.push(`cause ${data.cause as string}`);
  } else {
    for (const key of ["status", "reason", "cancel_reason", "cancelled_by", "move_in_date", "starts_at", "ends_at"]) {
      const value = text(data[key]);
      if (value) parts.push(`${key.replace(/_/g, " ")}: ${value}`);
    }
  }
  if (typeof data.inventory_version === "number") parts.push(`v${data.inventory_version}`);
  return parts.join(" · ");
}

export async function getUnitHistory(actor: Actor, rawInput: UnitHistoryInput, now = new Date()): Promise<UnitHistory> {
  const input = parseOrRefuse(UnitHistoryInput, rawInput);
  const facility = await facilityIdInScope(actor, input.facilityCode);
  const db = getDb();
  const unit = await db.unit.findFirst({
    where: { facilityId: facility.id, code: input.unitCode },
    select: {
      id: true,
      code: true,
      floor: true,
      status: true,
      statusChangedAt: true,
      unitType: { select: { code: true, name: true } },
    },
  });
  if (!unit) throw notFound("Unit", `${input.unitCode} at ${facility.code}`);

  const [bookingRows, blocks] = await Promise.all([
    db.booking.findMany({
      where: { unitId: unit.id },
      select: {
        id: true,
        reference: true,
        status: true,
        partnerBookingReference: true,
        customerName: true,
        moveInDate: true,
        holdExpiresAt: true,
        createdAt: true,
        cancelledAt: true,
        cancelReason: true,
        idempotencyKey: true,
        inventoryVersion: true,
        partner: { select: { code: true } },
      },
      orderBy: [{ createdAt: "desc" }, { reference: "desc" }],
      take: UNIT_HISTORY_LIMIT,
    }),
    listUnitBlocks({ facility_code: facility.code, unit_code: unit.code, limit: UNIT_HISTORY_LIMIT }, actor),
  ]);

  const bookings: UnitHistoryBooking[] = bookingRows.map((row) => {
    const status = effectiveStatus(row, now);
    return {
      reference: row.reference,
      status,
      live: LIVE_STATUSES.includes(status),
      partnerCode: row.partner.code,
      partnerBookingReference: row.partnerBookingReference,
      customerName: row.customerName,
      moveInDate: row.moveInDate.toISOString().slice(0, 10),
      holdExpiresAt: row.holdExpiresAt,
      createdAt: row.createdAt,
      cancelledAt: row.cancelledAt,
      cancelReason: row.cancelReason,
      idempotencyKey: row.idempotencyKey,
      inventoryVersion: row.inventoryVersion,
    };
  });

  const referenceOf = new Map(bookingRows.map((row) => [row.id, row.reference]));
  const eventRows = await db.event.findMany({
    where: {
      OR: [{ aggregateType: "unit", aggregateId: unit.id }, ...(bookingRows.length ? [{ bookingId: { in: [...referenceOf.keys()] } }] : [])],
    },
    select: { id: true, type: true, createdAt: true, correlationId: true, bookingId: true, data: true },
    orderBy: [{ seq: "desc" }],
    take: UNIT_HISTORY_LIMIT * 2,
  });
  const events: UnitHistoryEvent[] = eventRows.map((row) => ({
    id: row.id,
    type: row.type,
    createdAt: row.createdAt,
    correlationId: row.correlationId,
    bookingReference: row.bookingId ? (referenceOf.get(row.bookingId) ?? null) : null,
    summary: summariseEvent(row.type, (row.data ?? {}) as Record<string, unknown>),
  }));

  return {
    facilityId: facility.id,
    facilityCode: facility.code,
    facilityTimezone: facility.timezone,
    unit: {
      code: unit.code,
      floor: unit.floor,
      status: unit.status,
      statusChangedAt: unit.statusChangedAt,
      unitTypeCode: unit.unitType.code,
      unitTypeName: unit.unitType.name,
    },
    currentBooking: bookings.find((booking) => booking.live) ?? null,
    bookings,
    blocks,
    events,
  };
}
