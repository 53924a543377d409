import type { BookingStatus } from "../../generated/prisma/enums";

/**
 * The booking state machine of docs/domain.md#booking-lifecycle, as data:
 *
 *   TENTATIVE ─confirm→ CONFIRMED ─fulfil→ FULFILLED ─move_out→ MOVED_OUT
 *   TENTATIVE ─(ttl)→ EXPIRED;  TENTATIVE|CONFIRMED|FULFILLED ─cancel→ CANCELLED
 *
 * Repeats are no-ops (confirm of CONFIRMED, cancel of CANCELLED, EXPIRED or MOVED_OUT,
 * move_out of MOVED_OUT). Cancel of FULFILLED stays: it voids a tenancy that should never have
 * started (the unit goes straight back on sale); a tenant leaving is move_out, which puts
 * the unit through its post-move-out block first (docs/domain.md#move-out).
 */

export type BookingAction = "confirm" | "fulfil" | "cancel" | "move_out";

const ALLOWED: Record<BookingStatus, readonly BookingAction[]> = {
  TENTATIVE: ["confirm", "cancel"],
  CONFIRMED: ["fulfil", "cancel"],
  FULFILLED: ["move_out", "cancel"],
  EXPIRED: [],
  CANCELLED: [],
  MOVED_OUT: [],
};

/** Actions that, repeated on the state they lead to, answer 200 and change nothing. */
const NO_OP: Record<BookingAction, readonly BookingStatus[]> = {
  confirm: ["CONFIRMED"],
  fulfil: ["FULFILLED"],
  // a booking that is over is not live any more: cancelling it changes nothing
  cancel: ["CANCELLED", "EXPIRED", "MOVED_OUT"],
  move_out: ["MOVED_OUT"],
};

export function allowedActions(status: BookingStatus): readonly BookingAction[] {
  return ALLOWED[status];
}

export type TransitionCheck = { kind: "apply" } | { kind: "no-op" } | { kind: "invalid"; allowed: readonly BookingAction[] };

export function checkTransition(status: BookingStatus, action: BookingAction): TransitionCheck {
  if (ALLOWED[status].includes(action)) return { kind: "apply" };
  if (NO_OP[action].includes(status)) return { kind: "no-op" };
  return { kind: "invalid", allowed: ALLOWED[status] };
}

/** A TENTATIVE booking past its hold is expired, whether or not the job has run yet. */
export function effectiveStatus(booking: { status: BookingStatus; holdExpiresAt: Date }, now: Date): BookingStatus {
  return booking.status === "TENTATIVE" && booking.holdExpiresAt.getTime() <= now.getTime() ? "EXPIRED" : booking.status;
}

export const LIVE_STATUSES: readonly BookingStatus[] = ["TENTATIVE", "CONFIRMED", "FULFILLED"];
