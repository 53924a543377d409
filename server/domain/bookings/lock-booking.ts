import type { BookingStatus } from "../../generated/prisma/enums";
import type { Actor } from "../shared/actor";
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
 * their own bookings, console users those of their facilities.
 */
export async function lockBookingForActor(tx: Tx, reference: string, actor: Actor): Promise<LockedBooking> {
  const rows = await tx.$queryRaw<LockedBooking[]>`
    SELECT id, reference, status, unit_id, facility_id, partner_id, hold_expires_at, version
    FROM bookings WHERE reference = ${reference} FOR UPDATE`;
  const booking = rows[0];
  if (!booking || !visibleTo(booking, actor)) {
    throw new DomainError("NOT_FOUND", `Booking ${reference} was not found.`);
  }
  return booking;
}

export function visibleTo(booking: { partner_id: string; facility_id: string }, actor: Actor): boolean {
  if (actor.type === "PARTNER" && booking.partner_id !== actor.id) return false;
  if (actor.facilityIds !== null && !actor.facilityIds.includes(booking.facility_id)) return false;
  return true;
}
