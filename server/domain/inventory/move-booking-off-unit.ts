import type { UnitStatus } from "../../generated/prisma/enums";
import { pickAvailableUnit } from "../bookings/create-hold";
import { apiStatus, bumpBooking } from "../bookings/transition-booking";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError, isDomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import type { BlockContext, UnitForBlock } from "./maintenance-blocks";
import { transitionUnit } from "./unit-transition";

export interface MovedBooking {
  reference: string;
  status: string;
  fromUnitCode: string;
  toUnitCode: string;
  bookingVersion: number;
  inventoryVersion: number;
}

/**
 * Moves the unit's live hold or confirmed booking to another unit of the same pool: the
 * new unit AVAILABLE → HELD/BOOKED, the old one back to AVAILABLE (two pool versions, two
 * inventory.updated events with cause unit.blocked), the booking's unit and version
 * change, and a booking.move_unit audit entry records it. The event catalogue
 * (docs/webhooks.md#event-types) has no booking event for this, so none is invented.
 */
export async function moveBookingOffUnit(
  tx: Tx,
  ctx: BlockContext,
  state: UnitForBlock,
  blockId: string,
): Promise<MovedBooking> {
  const { unit, booking } = state;
  if (!booking || (booking.status !== "TENTATIVE" && booking.status !== "CONFIRMED")) {
    throw new Error(`moveBookingOffUnit: unit ${unit.code} has no movable booking`);
  }
  const held: UnitStatus = booking.status === "TENTATIVE" ? "HELD" : "BOOKED";
  let targetId: string;
  try {
    targetId = await pickAvailableUnit(tx, unit.pool_id, unit.id);
  } catch (error) {
    if (isDomainError(error) && error.code === "INVENTORY_UNAVAILABLE") {
      throw new DomainError(
        "INVENTORY_UNAVAILABLE",
        `No other ${unit.unit_type_code} unit at ${unit.facility_code} is free to move booking ${booking.reference} to.`,
        {
          unit_code: unit.code,
          unit_type_code: unit.unit_type_code,
          booking_reference: booking.reference,
          booking_status: apiStatus(booking.status),
          move_in_date: booking.move_in_date,
        },
      );
    }
    throw error;
  }
  const target = await tx.unit.findUniqueOrThrow({ where: { id: targetId }, select: { code: true } });
  const common = {
    correlationId: ctx.actor.correlationId,
    cause: "unit.blocked",
    bookingId: booking.id,
    partnerId: booking.partner_id,
    now: ctx.clock,
  };
  // Both units are locked already; from the first transition on, the pool is too.
  await transitionUnit(tx, { ...common, unitId: targetId, from: "AVAILABLE", to: held });
  const pool = await transitionUnit(tx, { ...common, unitId: unit.id, from: held, to: "AVAILABLE" });
  const bookingVersion = await bumpBooking(tx, booking.id, { unitId: targetId }, pool.inventoryVersion, ctx.now);
  await writeAudit(tx, ctx.actor, {
    action: "booking.move_unit",
    targetType: "booking",
    targetId: booking.reference,
    facilityId: unit.facility_id,
    reason: "unit.blocked",
    metadata: {
      from_unit_code: unit.code,
      to_unit_code: target.code,
      block_id: blockId,
      booking_status: booking.status,
      booking_version: bookingVersion,
      inventory_version: pool.inventoryVersion,
    },
    at: ctx.clock,
  });
  state.unit.status = "AVAILABLE";
  state.booking = null;
  return {
    reference: booking.reference,
    status: apiStatus(booking.status),
    fromUnitCode: unit.code,
    toUnitCode: target.code,
    bookingVersion,
    inventoryVersion: pool.inventoryVersion,
  };
}
