import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { newGateCodeCiphertext } from "../access/access-grants";
import { loadBookingView, type BookingChange } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { advanceBooking, appendBookingEvent, planTransition } from "./transition-booking";

/**
 * Move-in: CONFIRMED → FULFILLED (unit BOOKED → OCCUPIED) and an access grant with a
 * fresh gate code, stored encrypted, never logged, and shown only by revealAccessCode
 * (docs/domain.md#gate-codes).
 */
export async function fulfilBooking(reference: string, actor: Actor, options: ServiceOptions = {}): Promise<BookingChange> {
  await authorize(actor, "booking.fulfil", { target: { type: "booking", id: reference } });
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const plan = planTransition(booking, "fulfil", now);
    if (plan.kind === "no-op") return { ...(await loadBookingView(tx, booking.id, now)), changed: false };

    const { version } = await advanceBooking(tx, booking, actor, {
      unit: { from: "BOOKED", to: "OCCUPIED" },
      changes: { status: "FULFILLED", fulfilledAt: now },
      event: "booking.fulfilled",
      data: { status: "fulfilled", fulfilled_at: now.toISOString() },
      simulatedNow: options.now,
    }, now);
    const grant = await tx.accessGrant.create({
      data: {
        bookingId: booking.id,
        unitId: booking.unit_id,
        codeCiphertext: newGateCodeCiphertext(),
        issuedAt: now,
      },
    });
    await appendBookingEvent(tx, booking, actor, {
      type: "access.granted",
      version,
      now: options.now,
      data: { access_grant_id: grant.id, issued_at: now.toISOString() },
    });
    await writeAudit(tx, actor, {
      action: "booking.fulfil",
      targetType: "booking",
      targetId: reference,
      facilityId: booking.facility_id,
      metadata: { access_grant_id: grant.id },
      at: options.now,
    });
    return { ...(await loadBookingView(tx, booking.id, now)), changed: true };
  });
}
