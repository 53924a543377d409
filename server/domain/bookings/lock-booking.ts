import { Prisma, type Booking } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";
import type { SqlRow } from "@/server/domain/shared/sql-row";
import type { Tx } from "@/server/domain/shared/tx";

export type LockedBooking = SqlRow<Booking, "id" | "reference" | "status" | "unitId" | "facilityId" | "partnerId" | "holdExpiresAt" | "version">;

/**
 * Locks a booking the actor may see (FOR UPDATE), or answers NOT_FOUND: partners see
 * their own bookings, console users those of their facilities, API keys those within
 * their facility limits. The scope is part of the locking query's WHERE, so a booking
 * the actor may not see is never locked (docs/conventions.md#authorization).
 */
export async function lockBookingForActor(tx: Tx, reference: string, actor: Actor): Promise<LockedBooking> {
  const ownPartner = actor.type === "PARTNER" ? Prisma.sql`AND partner_id = ${actor.id}::uuid` : Prisma.empty;
  const rows = await tx.$queryRaw<LockedBooking[]>`
    SELECT id, reference, status, unit_id, facility_id, partner_id, hold_expires_at, version
    FROM bookings WHERE reference = ${reference} ${ownPartner} ${scopeSql(actor, Prisma.sql`facility_id`)} FOR UPDATE`;
  const booking = rows[0];
  if (!booking) {
    throw new DomainError("NOT_FOUND", `Booking ${reference} was not found.`);
  }
  return booking;
}
