import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { revokeLiveGrants } from "../access/revoke-live-grants";
import { lockUnitRow } from "../inventory/lock-unit-for-block";
import type { Tx } from "@/server/domain/shared/tx";
import type { PooledUnitStatus } from "../inventory/unit-transition";
import { loadBookingView, type BookingChange } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { advanceBooking, appendBookingEvent, planTransition } from "./transition-booking";

export const CancelBookingInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type CancelBookingInput = z.input<typeof CancelBookingInput>;

const UNIT_STATUS_OF: Partial<Record<string, PooledUnitStatus>> = { TENTATIVE: "HELD", CONFIRMED: "BOOKED", FULFILLED: "OCCUPIED" };

/**
 * Cancel: the unit goes back to AVAILABLE and any access grant is revoked. Cancelling a
 * moved-in booking voids the tenancy (the unit is on sale at once); a tenant leaving is
 * moveOutBooking. Cancelling a cancelled or expired booking is a no-op.
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

    const grants = await revokeLiveGrants(tx, booking.id, input.reason, now);
    // A tenant cancelled while their unit is overlocked leaves the unit under that block
    // (docs/domain.md#site-operations); blocks change only under the unit's lock.
    const underBlock = booking.status === "FULFILLED" && (await activeBlockCount(tx, booking.unit_id)) > 0;
    const { version } = await advanceBooking(tx, booking, actor, {
      unit: { from: UNIT_STATUS_OF[booking.status]!, to: underBlock ? "BLOCKED" : "AVAILABLE" },
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
    for (const grantId of grants) {
      await appendBookingEvent(tx, booking, actor, {
        type: "access.revoked",
        version,
        now: options.now,
        data: { access_grant_id: grantId, revoked_at: now.toISOString(), reason: input.reason },
      });
    }
    await writeAudit(tx, actor, {
      action: "booking.cancel",
      targetType: "booking",
      targetId: reference,
      facilityId: booking.facility_id,
      reason: input.reason,
      metadata: { previous_status: booking.status, revoked_access_grants: grants.length, unit_stays_blocked: underBlock },
      at: options.now,
    });
    return { ...(await loadBookingView(tx, booking.id, now)), changed: true };
  });
}

async function activeBlockCount(tx: Tx, unitId: string): Promise<number> {
  await lockUnitRow(tx, unitId);
  return tx.maintenanceBlock.count({ where: { unitId, status: "ACTIVE" } });
}
