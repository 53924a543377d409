import type { BookingStatus } from "../../generated/prisma/enums";

/**
 * The booking state machine of docs/domain.md#booking-lifecycle, as data:
 *
 *   TENTATIVE ─confirm→ CONFIRMED ─fulfil→ FULFILLED
 *   TENTATIVE ─(ttl)→ EXPIRED;  TENTATIVE|CONFIRMED|FULFILLED ─cancel→ CANCELLED
 *
 * Repeats are no-ops (confirm of CONFIRMED, cancel of CANCELLED or EXPIRED).
 */

export type BookingAction = "confirm" | "fulfil" | "cancel";

const ALLOWED: Record<BookingStatus, readonly BookingAction[]> = {
  TENTATIVE: ["confirm", "cancel"],
  CONFIRMED: ["fulfil", "cancel"],
  FULFILLED: ["cancel"],
  EXPIRED: [],
  CANCELLED: [],
};

/** Actions that, repeated on the state they lead to, answer 200 and change nothing. */
const NO_OP: Record<BookingAction, readonly BookingStatus[]> = {
  confirm: ["CONFIRMED"],
  fulfil: ["FULFILLED"],
  cancel: ["CANCELLED", "EXPIRED"],
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
