import { z } from "zod";
import { cancelBooking } from "../bookings/cancel-booking";
import type { BookingView } from "../bookings/booking-view";
import { lockBookingForActor } from "../bookings/lock-booking";
import { allowedActions, effectiveStatus } from "../bookings/lifecycle";
import { apiStatus } from "../bookings/transition-booking";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const ReleaseHoldInput = z
  .object({
    reference: z.string().trim().min(1).max(32),
    reason: z.string().trim().min(1, "Say why the hold is released.").max(500),
  })
  .strict();
export type ReleaseHoldInput = z.input<typeof ReleaseHoldInput>;

export interface ReleaseHoldResult {
  booking: BookingView;
  /** false when the hold had already expired or been cancelled (a no-op) */
  released: boolean;
}

/**
 * Releases a hold from the holds board: cancels the TENTATIVE booking with the reason
 * given (booking.cancelled + inventory.updated, audited as booking.cancel, as any cancel).
 * Unlike a plain cancel it refuses a booking that is no longer a hold — one confirmed
 * since the board was read is not cancelled by a click meant for a hold. A hold already
 * expired or cancelled is a no-op.
 */
export async function releaseHold(rawInput: ReleaseHoldInput, actor: Actor, options: ServiceOptions = {}): Promise<ReleaseHoldResult> {
  await authorize(actor, "booking.cancel", { target: { type: "booking", id: rawInput.reference } });
  const input = parseOrRefuse(ReleaseHoldInput, rawInput);
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const locked = await lockBookingForActor(tx, input.reference, actor);
    const status = effectiveStatus({ status: locked.status, holdExpiresAt: locked.hold_expires_at }, now);
    if (status === "CONFIRMED" || status === "FULFILLED") {
      throw new DomainError(
        "INVALID_TRANSITION",
        `Booking ${locked.reference} is no longer a hold: it is ${apiStatus(status)}. Cancel it from the booking's page if that is what you mean.`,
        { current_status: apiStatus(status), allowed_actions: allowedActions(status) },
      );
    }
    const booking = await cancelBooking(input.reference, { reason: input.reason }, actor, { ...options, tx });
    return { booking, released: status === "TENTATIVE" };
  });
}
