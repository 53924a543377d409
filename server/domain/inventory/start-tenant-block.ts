import { appendBookingEvent, bumpBooking } from "../bookings/transition-booking";
import type { Tx } from "@/server/domain/shared/tx";
import { appendUnitEvent } from "./append-unit-event";
import { blockClash } from "./find-overlapping-block";
import type { BlockContext, BlockRow, UnitForBlock } from "./maintenance-blocks";

/**
 * Starts an overlock or lock-fault block on an OCCUPIED unit without taking the unit from
 * its tenant (docs/domain.md#site-operations): the unit stays OCCUPIED (no pool change),
 * the block ACTIVE, the booking's live grant SUSPENDED (version + 1, access.suspended) and
 * a unit.blocked event with `occupied: true`. The caller holds the booking's and the
 * unit's locks (lockUnitForBlockChange). Returns the booking's new version.
 */
export async function startTenantBlock(
  tx: Tx,
  ctx: BlockContext,
  state: UnitForBlock,
  block: Pick<BlockRow, "id" | "reason" | "starts_at" | "ends_at">,
): Promise<{ bookingVersion: number; suspendedGrantIds: string[]; inventoryVersion: number }> {
  const { unit, booking } = state;
  if (!booking || booking.status !== "FULFILLED" || unit.status !== "OCCUPIED") {
    throw new Error(`startTenantBlock: unit ${unit.code} has no tenant`);
  }
  // Any ACTIVE block, even one past its end (the job ends it first; this is tried again).
  const current = state.activeBlocks[0];
  if (current) throw blockClash(unit.code, current);
  const started = await tx.maintenanceBlock.updateMany({
    where: { id: block.id, status: "SCHEDULED" },
    data: { status: "ACTIVE", startedAt: ctx.now },
  });
  if (started.count !== 1) throw new Error(`startTenantBlock: block ${block.id} is not SCHEDULED`);
  const grants = await tx.accessGrant.findMany({ where: { bookingId: booking.id, status: "ACTIVE" }, select: { id: true } });
  if (grants.length) {
    await tx.accessGrant.updateMany({ where: { id: { in: grants.map((g) => g.id) } }, data: { status: "SUSPENDED", suspendedAt: ctx.now } });
  }
  const bookingVersion = await bumpBooking(tx, booking.id, {}, null, ctx.now);
  const ref = { id: booking.id, reference: booking.reference, unit_id: unit.id, facility_id: booking.facility_id, partner_id: booking.partner_id };
  for (const grant of grants) {
    await appendBookingEvent(tx, ref, ctx.actor, {
      type: "access.suspended",
      version: bookingVersion,
      now: ctx.clock,
      data: { access_grant_id: grant.id, suspended_at: ctx.now.toISOString(), block_id: block.id, block_reason: block.reason },
    });
  }
  const pool = await tx.inventoryPool.findUniqueOrThrow({ where: { id: unit.pool_id }, select: { inventoryVersion: true } });
  await appendUnitEvent(tx, ctx, unit, "unit.blocked", pool, {
    block_id: block.id,
    reason: block.reason,
    starts_at: block.starts_at.toISOString(),
    ends_at: block.ends_at?.toISOString() ?? null,
    occupied: true,
  });
  state.activeBlocks = [
    ...state.activeBlocks,
    { ...block, facility_id: unit.facility_id, unit_id: unit.id, status: "ACTIVE", started_at: ctx.now },
  ];
  return { bookingVersion, suspendedGrantIds: grants.map((g) => g.id), inventoryVersion: pool.inventoryVersion };
}
