import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { loadBookingView, type BookingChange } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { allowedActions } from "./lifecycle";
import { advanceBooking, planTransition } from "./transition-booking";

/** TENTATIVE → CONFIRMED (unit HELD → BOOKED). Confirming a confirmed booking is a no-op. */
export async function confirmBooking(reference: string, actor: Actor, options: ServiceOptions = {}): Promise<BookingChange> {
  await authorize(actor, "booking.confirm", { target: { type: "booking", id: reference } });
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const plan = planTransition(booking, "confirm", now);
    if (plan.kind === "no-op") return { ...(await loadBookingView(tx, booking.id, now)), changed: false };

    // The booking is locked: until commit only this transaction changes it. Its view is read
    // and the audit entry written before the pool is locked, so the pool row is held for
    // advanceBooking's one statement and the commit only.
    const before = await loadBookingView(tx, booking.id, now);
    await writeAudit(tx, actor, {
      action: "booking.confirm",
      targetType: "booking",
      targetId: reference,
      facilityId: booking.facility_id,
      at: options.now,
    });
    const { version, pool } = await advanceBooking(tx, booking, actor, {
      unit: { from: "HELD", to: "BOOKED" },
      changes: { status: "CONFIRMED", confirmedAt: now },
      event: "booking.confirmed",
      data: { status: "confirmed", confirmed_at: now.toISOString() },
      simulatedNow: options.now,
    }, now);
    // what advanceBooking wrote (bumpBooking's columns), without reading the row again
    return {
      ...before,
      status: "CONFIRMED",
      confirmedAt: now,
      version,
      inventoryVersion: pool.inventoryVersion,
      lastEventAt: now,
      allowedActions: allowedActions("CONFIRMED"),
      changed: true,
    };
  });
}
