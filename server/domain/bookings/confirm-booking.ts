import type { Actor } from "../shared/actor";
import { writeAudit } from "../shared/audit";
import { appendEvent } from "../shared/events";
import { inTransaction, type ServiceOptions } from "../shared/transaction";
import { transitionUnit } from "../inventory/unit-transition";
import { loadBookingView, type BookingView } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { bumpBooking, planTransition } from "./transition-booking";

/** TENTATIVE → CONFIRMED (unit HELD → BOOKED). Confirming a confirmed booking is a no-op. */
export async function confirmBooking(reference: string, actor: Actor, options: ServiceOptions = {}): Promise<BookingView> {
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const plan = planTransition(booking, "confirm", now);
    if (plan.kind === "no-op") return loadBookingView(tx, booking.id, now);

    const pool = await transitionUnit(tx, {
      unitId: booking.unit_id,
      from: "HELD",
      to: "BOOKED",
      correlationId: actor.correlationId,
      cause: "booking.confirmed",
      bookingId: booking.id,
      partnerId: booking.partner_id,
      now: options.now,
    });
    const version = await bumpBooking(tx, booking.id, { status: "CONFIRMED", confirmedAt: now }, pool.inventoryVersion, now);
    await appendEvent(tx, {
      type: "booking.confirmed",
      aggregateType: "booking",
      aggregateId: booking.id,
      aggregateVersion: version,
      facilityId: booking.facility_id,
      partnerId: booking.partner_id,
      bookingId: booking.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data: { reference, status: "confirmed", confirmed_at: now.toISOString(), inventory_version: pool.inventoryVersion },
    });
    await writeAudit(tx, actor, {
      action: "booking.confirm",
      targetType: "booking",
      targetId: reference,
      facilityId: booking.facility_id,
      at: options.now,
    });
    return loadBookingView(tx, booking.id, now);
  });
}
