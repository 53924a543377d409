import type { BookingStatus } from "../../generated/prisma/enums";
import { Prisma } from "../../generated/prisma/client";
import { transitionUnitThen, type PoolSnapshot, type PooledUnitStatus } from "../inventory/unit-transition";
import type { Actor } from "@/server/domain/shared/actor";
import { appendEvent, insertEventFrom, type EventType } from "@/server/domain/shared/events";
import { newId } from "@/server/domain/shared/ids";
import { DomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { checkTransition, effectiveStatus, type BookingAction } from "./lifecycle";
import type { LockedBooking } from "./lock-booking";

export type TransitionPlan = { kind: "apply" } | { kind: "no-op" };

const API_STATUS: Record<BookingStatus, string> = {
  TENTATIVE: "tentative",
  CONFIRMED: "confirmed",
  FULFILLED: "fulfilled",
  EXPIRED: "expired",
  CANCELLED: "cancelled",
  MOVED_OUT: "moved_out",
};

export function apiStatus(status: BookingStatus): string {
  return API_STATUS[status];
}

/**
 * Decides what `action` does to a locked booking: apply, no-op (a repeat), or a refusal
 * (HOLD_EXPIRED / INVALID_TRANSITION naming the current state and what is allowed).
 */
export function planTransition(booking: LockedBooking, action: BookingAction, now: Date): TransitionPlan {
  const status = effectiveStatus({ status: booking.status, holdExpiresAt: booking.hold_expires_at }, now);
  if (status === "EXPIRED" && booking.status === "TENTATIVE" && action === "confirm") {
    throw new DomainError("HOLD_EXPIRED", `The hold on ${booking.reference} expired at ${booking.hold_expires_at.toISOString()}.`, {
      current_status: "expired",
      hold_expired_at: booking.hold_expires_at.toISOString(),
      allowed_actions: [],
    });
  }
  if (status === "EXPIRED" && action === "confirm") {
    throw new DomainError("HOLD_EXPIRED", `The hold on ${booking.reference} has expired.`, {
      current_status: "expired",
      allowed_actions: [],
    });
  }
  const check = checkTransition(status, action);
  if (check.kind === "invalid") {
    throw new DomainError(
      "INVALID_TRANSITION",
      `Cannot ${action} booking ${booking.reference}: it is ${API_STATUS[status]}.`,
      { current_status: API_STATUS[status], allowed_actions: check.allowed },
    );
  }
  return check;
}

export interface BookingChanges {
  status?: BookingStatus;
  confirmedAt?: Date;
  fulfilledAt?: Date;
  expiredAt?: Date;
  cancelledAt?: Date;
  cancelReason?: string;
  cancelledBy?: string;
  movedOutAt?: Date;
  unitId?: string;
}

/**
 * Applies a change to a booking, bumps its aggregate version and returns the new one
 * (for the event). Raw SQL: it runs inside every booking change while its pool is locked.
 */
export async function bumpBooking(
  tx: Tx,
  bookingId: string,
  changes: BookingChanges,
  inventoryVersion: number | null,
  now: Date,
): Promise<number> {
  const rows = await tx.$queryRaw<{ version: number }[]>`
    UPDATE bookings SET ${bookingSet(changes, Prisma.sql`${inventoryVersion}::int`, now)}
    WHERE id = ${bookingId}::uuid
    RETURNING version`;
  if (!rows[0]) throw new Error(`bumpBooking: booking ${bookingId} does not exist`);
  return rows[0].version;
}

/** The SET list of a booking's change: the given fields, inventory_version (when not null), version + 1. */
function bookingSet(changes: BookingChanges, inventoryVersion: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`
      status = coalesce(${changes.status ?? null}::"BookingStatus", status),
      confirmed_at = coalesce(${changes.confirmedAt ?? null}::timestamptz, confirmed_at),
      fulfilled_at = coalesce(${changes.fulfilledAt ?? null}::timestamptz, fulfilled_at),
      expired_at = coalesce(${changes.expiredAt ?? null}::timestamptz, expired_at),
      cancelled_at = coalesce(${changes.cancelledAt ?? null}::timestamptz, cancelled_at),
      cancel_reason = coalesce(${changes.cancelReason ?? null}::text, cancel_reason),
      cancelled_by = coalesce(${changes.cancelledBy ?? null}::text, cancelled_by),
      moved_out_at = coalesce(${changes.movedOutAt ?? null}::timestamptz, moved_out_at),
      unit_id = coalesce(${changes.unitId ?? null}::uuid, unit_id),
      inventory_version = coalesce(${inventoryVersion}, inventory_version),
      version = version + 1,
      last_event_at = ${now},
      updated_at = ${now}`;
}

export interface BookingRef {
  id: string;
  reference: string;
  unit_id: string;
  facility_id: string;
  partner_id: string;
  /** the codes every booking event carries; looked up when absent */
  facility_code?: string;
  unit_type_code?: string;
  unit_code?: string;
}

type BookingCodes = { facility_code: string; unit_type_code: string; unit_code: string };

async function codesOf(tx: Tx, booking: BookingRef): Promise<BookingCodes> {
  if (booking.facility_code && booking.unit_type_code && booking.unit_code) {
    return { facility_code: booking.facility_code, unit_type_code: booking.unit_type_code, unit_code: booking.unit_code };
  }
  const rows = await tx.$queryRaw<BookingCodes[]>`
    SELECT f.code AS facility_code, ut.code AS unit_type_code, u.code AS unit_code
    FROM bookings b
    JOIN facilities f ON f.id = b.facility_id JOIN unit_types ut ON ut.id = b.unit_type_id JOIN units u ON u.id = b.unit_id
    WHERE b.id = ${booking.id}::uuid`;
  if (!rows[0]) throw new Error(`appendBookingEvent: booking ${booking.id} does not exist`);
  return rows[0];
}

/**
 * A booking-aggregate event (booking.*, access.*) at the booking's given version. Every
 * one carries the booking's reference, facility_code, unit_type_code and unit_code, as
 * booking.held does (docs/webhooks.md#event-types).
 */
export async function appendBookingEvent(
  tx: Tx,
  booking: BookingRef,
  actor: Actor,
  event: { type: EventType; version: number; data: Record<string, unknown>; now?: Date },
): Promise<void> {
  const codes = await codesOf(tx, booking);
  await appendEvent(tx, {
    type: event.type,
    aggregateType: "booking",
    aggregateId: booking.id,
    aggregateVersion: event.version,
    facilityId: booking.facility_id,
    partnerId: booking.partner_id,
    bookingId: booking.id,
    correlationId: actor.correlationId,
    createdAt: event.now,
    data: { reference: booking.reference, ...codes, ...event.data },
  });
}

export interface BookingStep {
  unit: { from: PooledUnitStatus; to: PooledUnitStatus };
  changes: BookingChanges;
  event: EventType;
  /** the event's data beyond reference and inventory_version */
  data: Record<string, unknown>;
  /** the simulated clock, when one is used (events and the unit carry its time) */
  simulatedNow?: Date;
}

/**
 * One step of a locked booking's life, all in the caller's transaction: its unit and
 * pool (with the pool's inventory.updated event), the booking's new state and version,
 * and the booking event. Returns the booking's new version and the pool's new state.
 */
export async function advanceBooking(
  tx: Tx,
  booking: BookingRef,
  actor: Actor,
  step: BookingStep,
  now: Date,
): Promise<{ version: number; pool: PoolSnapshot }> {
  const codes = await codesOf(tx, booking);
  const data = { reference: booking.reference, ...codes, ...step.data };
  // One statement: the unit, the pool and its inventory.updated event, then the booking
  // and its event (which carry the pool's new inventory_version) — the pool row stays
  // locked for this statement and the commit only (docs/performance.md#the-booking-hot-path).
  const { pool, then } = await transitionUnitThen(
    tx,
    {
      unitId: booking.unit_id,
      from: step.unit.from,
      to: step.unit.to,
      correlationId: actor.correlationId,
      cause: step.event,
      bookingId: booking.id,
      partnerId: booking.partner_id,
      now: step.simulatedNow,
    },
    {
      ctes: Prisma.sql`bumped AS (
        UPDATE bookings SET ${bookingSet(step.changes, Prisma.sql`(SELECT inventory_version FROM info)`, now)}
        WHERE id = ${booking.id}::uuid AND EXISTS (SELECT 1 FROM info)
        RETURNING version, inventory_version
      ), booking_event AS (
        ${insertEventFrom(
          {
            id: Prisma.sql`${newId("evt", step.simulatedNow?.getTime())}`,
            type: Prisma.sql`${step.event}`,
            aggregateType: Prisma.sql`'booking'`,
            aggregateId: Prisma.sql`${booking.id}`,
            aggregateVersion: Prisma.sql`bumped.version`,
            facilityId: Prisma.sql`${booking.facility_id}`,
            partnerId: Prisma.sql`${booking.partner_id}`,
            bookingId: Prisma.sql`${booking.id}`,
            correlationId: Prisma.sql`${actor.correlationId}`,
            data: Prisma.sql`${JSON.stringify(data)}::jsonb || jsonb_build_object('inventory_version', bumped.inventory_version)`,
            createdAt: Prisma.sql`${step.simulatedNow ?? null}`,
          },
          Prisma.sql`bumped WHERE EXISTS (SELECT 1 FROM event)`,
        )}
      )`,
      columns: Prisma.sql`(SELECT version FROM bumped) AS booking_version`,
      names: ["booking_version"],
    },
  );
  const version = then.booking_version;
  if (typeof version !== "number") throw new Error(`advanceBooking: booking ${booking.id} does not exist`);
  return { version, pool };
}
