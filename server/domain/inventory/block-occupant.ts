import type { BookingStatus } from "../../generated/prisma/enums";
import { apiStatus } from "../bookings/transition-booking";
import { DomainError } from "@/server/domain/shared/errors";
import type { BlockWindow, LiveBooking, UnitForBlock } from "./maintenance-blocks";

function localDay(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(at); // YYYY-MM-DD
}

/** Whether the move-in day (facility-local) falls within the block: on/after its start, before its end. */
export function overlapsMoveIn(moveInDate: string, window: BlockWindow, timezone: string): boolean {
  if (moveInDate < localDay(window.startsAt, timezone)) return false;
  return window.endsAt === null || moveInDate <= localDay(new Date(window.endsAt.getTime() - 1), timezone);
}

export interface Occupant {
  booking: LiveBooking | null;
  /** a live TENTATIVE/CONFIRMED booking can be moved to another unit of its type */
  movable: boolean;
  /** the refusal, naming the booking, for when it is not moved */
  refusal: DomainError;
}

/**
 * What stands in a block's way on the unit, if anything. A unit that is HELD, BOOKED or
 * OCCUPIED cannot be blocked: its booking would lose its unit (and a confirmed move-in
 * would land on a blocked unit). Only a live hold or confirmed booking can be moved; a
 * hold whose TTL has passed is left to the expiry job, which releases it within moments.
 */
export function occupantOf(state: UnitForBlock, window: BlockWindow, now: Date): Occupant | null {
  const { unit, booking } = state;
  if (!booking) {
    if (unit.status === "AVAILABLE" || unit.status === "BLOCKED") return null;
    return {
      booking: null,
      movable: false,
      refusal: new DomainError(
        "CONFLICT",
        `Unit ${unit.code} is ${unit.status.toLowerCase()} but no live booking holds it; run a reconciliation before blocking it.`,
        { unit_code: unit.code, unit_status: unit.status.toLowerCase() },
      ),
    };
  }
  const holdLapsed = booking.status === "TENTATIVE" && booking.hold_expires_at.getTime() <= now.getTime();
  const status: BookingStatus = holdLapsed ? "EXPIRED" : booking.status;
  const movable = status === "TENTATIVE" || status === "CONFIRMED";
  const overlaps = booking.status === "CONFIRMED" && overlapsMoveIn(booking.move_in_date, window, unit.facility_timezone);
  const context = {
    unit_code: unit.code,
    unit_status: unit.status.toLowerCase(),
    booking_reference: booking.reference,
    booking_status: apiStatus(status),
    move_in_date: booking.move_in_date,
    overlaps_move_in: overlaps,
    can_move: movable,
  };
  const message =
    status === "FULFILLED"
      ? `Unit ${unit.code} is occupied under booking ${booking.reference}; it cannot be blocked until the customer moves out.`
      : status === "EXPIRED"
        ? `Unit ${unit.code} is still held by booking ${booking.reference}, whose hold expired at ${booking.hold_expires_at.toISOString()} and is being released; try again shortly.`
        : status === "CONFIRMED"
          ? `Unit ${unit.code} is booked under ${booking.reference} (move-in ${booking.move_in_date}${overlaps ? ", within the block" : ""}); move that booking to another unit to block it.`
          : `Unit ${unit.code} is held by booking ${booking.reference} (move-in ${booking.move_in_date}); move that booking to another unit to block it.`;
  return { booking, movable, refusal: new DomainError("CONFLICT", message, context) };
}
