"use server";

import { BlockUnitInput, blockUnit } from "../domain/inventory/block-unit";
import { releaseHold, ReleaseHoldInput } from "../domain/inventory/release-hold";
import { unblockUnit, UnblockUnitInput } from "../domain/inventory/unblock-unit";
import type { UnitBlockView } from "../domain/inventory/unit-block-view";
import { consoleAction } from "./console-action";

/**
 * The inventory board's mutations (docs/domain.md#maintenance-blocks,
 * docs/domain.md#roles-and-permissions): block and unblock a unit ("unit.block": site
 * managers for their own facilities, ops leads, admins) and release a hold
 * ("booking.cancel"). Each checks session, permission and input itself (./console-action)
 * and calls the domain service every transport shares; the service audits what it did.
 * Something outside a site manager's facilities is "not found", and ./console-action audits
 * the attempt as DENIED.
 */

/** A block as the client needs it after a change: plain strings, no Dates. */
function blockResult(block: UnitBlockView) {
  return {
    id: block.id,
    unitCode: block.unitCode,
    status: block.status,
    reason: block.reason,
    startsAt: block.startsAt.toISOString(),
    endsAt: block.endsAt?.toISOString() ?? null,
  };
}

export const blockUnitAction = consoleAction(
  {
    action: "unit.block",
    permission: "unit.block",
    input: BlockUnitInput,
    target: (input) => ({ type: "unit", id: `${input.facility_code}/${input.unit_code}` }),
  },
  async ({ actor, input }) => {
    const result = await blockUnit(input, actor);
    return {
      block: blockResult(result.block),
      movedBooking: result.movedBooking
        ? { reference: result.movedBooking.reference, fromUnitCode: result.movedBooking.fromUnitCode, toUnitCode: result.movedBooking.toUnitCode }
        : null,
      inventoryVersion: result.inventoryVersion,
    };
  },
);

export const unblockUnitAction = consoleAction(
  {
    action: "unit.unblock",
    permission: "unit.block",
    input: UnblockUnitInput,
    target: (input) => ({ type: "maintenance_block", id: input.block_id }),
  },
  async ({ actor, input }) => {
    const result = await unblockUnit(input, actor);
    return { block: blockResult(result.block), changed: result.changed, inventoryVersion: result.inventoryVersion };
  },
);

export const releaseHoldAction = consoleAction(
  {
    action: "booking.cancel",
    permission: "booking.cancel",
    input: ReleaseHoldInput,
    target: (input) => ({ type: "booking", id: input.reference }),
  },
  async ({ actor, input }) => {
    const result = await releaseHold(input, actor);
    return {
      reference: result.booking.reference,
      status: result.booking.status,
      unitCode: result.booking.unitCode,
      released: result.released,
      inventoryVersion: result.booking.inventoryVersion,
    };
  },
);
