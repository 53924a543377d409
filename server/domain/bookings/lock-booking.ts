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
 */
export async function lockBookingForActor(tx: Tx, reference: string, actor: Actor): Promise<LockedBooking> {
  const ownPartner = actor.type === "PARTNER" ? Prisma.sql`AND b.partner_id = ${actor.id}::uuid` : Prisma.empty;
  const rows = await tx.$queryRaw<LockedBooking[]>`
    SELECT b.id, b.reference, b.status, b.unit_id, b.facility_id, b.partner_id, b.hold_expires_at, b.version,
           f.code AS facility_code, ut.code AS unit_type_code, u.code AS unit_code
    FROM bookings b
    JOIN facilities f ON f.id = b.facility_id JOIN unit_types ut ON ut.id = b.unit_type_id JOIN units u ON u.id = b.unit_id
    WHERE b.reference = ${reference} ${ownPartner} ${scopeSql(actor, Prisma.sql`b.facility_id`)} FOR UPDATE OF b`;
  const booking = rows[0];
  if (!booking) {
    throw new DomainError("NOT_FOUND", `Booking ${reference} was not found.`);
  }
  return booking;
}
