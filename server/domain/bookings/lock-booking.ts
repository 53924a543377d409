import type { BookingStatus } from "../../generated/prisma/enums";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "../shared/actor";
import { scopeSql } from "../shared/facility-scope";
import { DomainError } from "../shared/errors";
import type { Tx } from "../shared/tx";

export interface LockedBooking {
  id: string;
  reference: string;
  status: BookingStatus;
  unit_id: string;
  facility_id: string;
  partner_id: string;
  hold_expires_at: Date;
  version: number;
}

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
