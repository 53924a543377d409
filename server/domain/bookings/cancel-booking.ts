import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import type { PooledUnitStatus } from "../inventory/unit-transition";
import { loadBookingView, type BookingChange } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { advanceBooking, appendBookingEvent, planTransition } from "./transition-booking";

export const CancelBookingInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type CancelBookingInput = z.input<typeof CancelBookingInput>;

const UNIT_STATUS_OF: Partial<Record<string, PooledUnitStatus>> = { TENTATIVE: "HELD", CONFIRMED: "BOOKED", FULFILLED: "OCCUPIED" };

/**
 * Cancel (or move-out): the unit goes back to AVAILABLE and any access grant is revoked.
 * Cancelling a cancelled or expired booking is a no-op.
 */
export async function cancelBooking(
  reference: string,
  raw: CancelBookingInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<BookingChange> {
  await authorize(actor, "booking.cancel", { target: { type: "booking", id: reference } });
  const input = parseOrRefuse(CancelBookingInput, raw);
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const plan = planTransition(booking, "cancel", now);
    if (plan.kind === "no-op") return { ...(await loadBookingView(tx, booking.id, now)), changed: false };

    const grants = await tx.accessGrant.findMany({ where: { bookingId: booking.id, status: "ACTIVE" }, select: { id: true } });
    if (grants.length) {
      await tx.accessGrant.updateMany({
        where: { id: { in: grants.map((g) => g.id) } },
        data: { status: "REVOKED", revokedAt: now, revokeReason: input.reason },
      });
    }
    const { version } = await advanceBooking(tx, booking, actor, {
      unit: { from: UNIT_STATUS_OF[booking.status]!, to: "AVAILABLE" },
      changes: { status: "CANCELLED", cancelledAt: now, cancelReason: input.reason, cancelledBy: actor.label },
      event: "booking.cancelled",
      data: {
        status: "cancelled",
        previous_status: booking.status.toLowerCase(),
        cancel_reason: input.reason,
        cancelled_by: actor.type === "PARTNER" ? "partner" : actor.type === "USER" ? "operator" : actor.type.toLowerCase(),
        cancelled_at: now.toISOString(),
      },
      simulatedNow: options.now,
    }, now);
    for (const grant of grants) {
      await appendBookingEvent(tx, booking, actor, {
        type: "access.revoked",
        version,
        now: options.now,
        data: { access_grant_id: grant.id, revoked_at: now.toISOString(), reason: input.reason },
      });
    }
    await writeAudit(tx, actor, {
      action: "booking.cancel",
      targetType: "booking",
      targetId: reference,
      facilityId: booking.facility_id,
      reason: input.reason,
      metadata: { previous_status: booking.status, revoked_access_grants: grants.length },
      at: options.now,
    });
    return { ...(await loadBookingView(tx, booking.id, now)), changed: true };
  });
}
