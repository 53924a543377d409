import { Prisma, type Booking, type Facility, type Unit, type UnitType } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";
import type { SqlRow } from "@/server/domain/shared/sql-row";
import type { Tx } from "@/server/domain/shared/tx";

export type LockedBooking = SqlRow<Booking, "id" | "reference" | "status" | "unitId" | "facilityId" | "partnerId" | "holdExpiresAt" | "version"> & {
  /** what every booking event carries (docs/webhooks.md#event-types) */
  facility_code: Facility["code"];
  unit_type_code: UnitType["code"];
  unit_code: Unit["code"];
};

/**
 * Locks a booking the actor may see (FOR UPDATE), or answers NOT_FOUND: partners see
 * their own bookings, console users those of their facilities, API keys those within
 * their facility limits. The scope is part of the locking query's WHERE, so a booking
 * the actor may not see is never locked (docs/conventions.md#authorization).
 *
 * The codes are read by subqueries of the booking's row, not joins: when the lock has to
 * wait for a transaction that moved the booking to another unit, PostgreSQL re-checks the
 * booking's new version against the rows it had already joined (the old unit), the join
 * no longer matches and the booking would be answered NOT_FOUND. A subquery is evaluated
 * again for the new version.
 */
export async function lockBookingForActor(tx: Tx, reference: string, actor: Actor): Promise<LockedBooking> {
  const ownPartner = actor.type === "PARTNER" ? Prisma.sql`AND b.partner_id = ${actor.id}::uuid` : Prisma.empty;
  const rows = await tx.$queryRaw<LockedBooking[]>`
    SELECT b.id, b.reference, b.status, b.unit_id, b.facility_id, b.partner_id, b.hold_expires_at, b.version,
           (SELECT f.code FROM facilities f WHERE f.id = b.facility_id) AS facility_code,
           (SELECT ut.code FROM unit_types ut WHERE ut.id = b.unit_type_id) AS unit_type_code,
           (SELECT u.code FROM units u WHERE u.id = b.unit_id) AS unit_code
    FROM bookings b
    WHERE b.reference = ${reference} ${ownPartner} ${scopeSql(actor, Prisma.sql`b.facility_id`)} FOR UPDATE OF b`;
  const booking = rows[0];
  if (!booking) {
    throw new DomainError("NOT_FOUND", `Booking ${reference} was not found.`);
  }
  return booking;
}
