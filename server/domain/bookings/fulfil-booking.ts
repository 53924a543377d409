import crypto from "node:crypto";
import type { Actor } from "../shared/actor";
import { writeAudit } from "../shared/audit";
import { appendEvent } from "../shared/events";
import { encryptSecret } from "../shared/secrets";
import { inTransaction, type ServiceOptions } from "../shared/transaction";
import { transitionUnit } from "../inventory/unit-transition";
import { loadBookingView, type BookingView } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { bumpBooking, planTransition } from "./transition-booking";

/**
 * Move-in: CONFIRMED → FULFILLED (unit BOOKED → OCCUPIED) and an access grant with a
 * fresh gate code, stored encrypted and never shown in logs or the console.
 */
export async function fulfilBooking(reference: string, actor: Actor, options: ServiceOptions = {}): Promise<BookingView> {
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const plan = planTransition(booking, "fulfil", now);
    if (plan.kind === "no-op") return loadBookingView(tx, booking.id, now);

    const pool = await transitionUnit(tx, {
      unitId: booking.unit_id,
      from: "BOOKED",
      to: "OCCUPIED",
      correlationId: actor.correlationId,
      cause: "booking.fulfilled",
      bookingId: booking.id,
      partnerId: booking.partner_id,
      now: options.now,
    });
    const grant = await tx.accessGrant.create({
      data: {
        bookingId: booking.id,
        unitId: booking.unit_id,
        codeCiphertext: encryptSecret(String(crypto.randomInt(0, 1_000_000)).padStart(6, "0")),
        issuedAt: now,
      },
    });
    const version = await bumpBooking(tx, booking.id, { status: "FULFILLED", fulfilledAt: now }, pool.inventoryVersion, now);
    await appendEvent(tx, {
      type: "booking.fulfilled",
      aggregateType: "booking",
      aggregateId: booking.id,
      aggregateVersion: version,
      facilityId: booking.facility_id,
      partnerId: booking.partner_id,
      bookingId: booking.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data: { reference, status: "fulfilled", fulfilled_at: now.toISOString(), inventory_version: pool.inventoryVersion },
    });
    await appendEvent(tx, {
      type: "access.granted",
      aggregateType: "booking",
      aggregateId: booking.id,
      aggregateVersion: version,
      facilityId: booking.facility_id,
      partnerId: booking.partner_id,
      bookingId: booking.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data: { reference, access_grant_id: grant.id, issued_at: now.toISOString() },
    });
    await writeAudit(tx, actor, {
      action: "booking.fulfil",
      targetType: "booking",
      targetId: reference,
      facilityId: booking.facility_id,
      metadata: { access_grant_id: grant.id },
      at: options.now,
    });
    return loadBookingView(tx, booking.id, now);
  });
}
