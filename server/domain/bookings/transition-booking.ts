import type { BookingStatus } from "../../generated/prisma/enums";
import { DomainError } from "../shared/errors";
import type { Tx } from "../shared/tx";
import { checkTransition, effectiveStatus, type BookingAction } from "./lifecycle";
import type { LockedBooking } from "./lock-booking";

export type TransitionPlan = { kind: "apply" } | { kind: "no-op" };

const API_STATUS: Record<BookingStatus, string> = {
  TENTATIVE: "tentative",
  CONFIRMED: "confirmed",
  FULFILLED: "fulfilled",
  EXPIRED: "expired",
  CANCELLED: "cancelled",
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

/** Bumps the booking's aggregate version and returns it (for the event). */
export async function bumpBooking(
  tx: Tx,
  bookingId: string,
  data: Record<string, unknown>,
  inventoryVersion: number | null,
  now: Date,
): Promise<number> {
  const updated = await tx.booking.update({
    where: { id: bookingId },
    data: {
      ...data,
      version: { increment: 1 },
      lastEventAt: now,
      updatedAt: now,
      ...(inventoryVersion !== null ? { inventoryVersion } : {}),
    },
    select: { version: true },
  });
  return updated.version;
}

