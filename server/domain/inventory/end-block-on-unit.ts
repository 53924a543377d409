import type { LiveBooking } from "./maintenance-blocks";
import { appendBookingEvent, bumpBooking } from "../bookings/transition-booking";
import type { Tx } from "@/server/domain/shared/tx";
import { appendUnitEvent } from "./append-unit-event";
import { endActiveBlock } from "./end-active-block";
import { lockUnitRow } from "./lock-unit-for-block";
import type { BlockContext, BlockRow, LockedUnit } from "./maintenance-blocks";

export interface EndedBlock {
  unit: LockedUnit;
  /** the pool's inventory_version after the change (unchanged when the tenant kept the unit) */
  inventoryVersion: number;
  /** the booking whose access came back, when the block was an overlock or lock fault on an occupied unit */
  restored: { reference: string; grantIds: string[] } | null;
}

/**
 * Ends a locked ACTIVE block, whichever kind (docs/domain.md#site-operations). Lock order:
 * the block (held by the caller) → the unit's tenant booking → the unit. On a unit with a
 * tenant (an overlock or lock fault) the unit stays OCCUPIED, the block ENDED, the
 * booking's suspended grant ACTIVE again (version + 1, access.restored) and a
 * unit.unblocked event written; otherwise the unit goes BLOCKED → AVAILABLE
 * (endActiveBlock).
 */
export async function endBlockOnUnit(tx: Tx, ctx: BlockContext, block: BlockRow, endedByUserId: string | null): Promise<EndedBlock> {
  const tenants = await tx.$queryRaw<LiveBooking[]>`
    SELECT id, reference, status::text AS status, partner_id, facility_id, to_char(move_in_date, 'YYYY-MM-DD') AS move_in_date, hold_expires_at
    FROM bookings WHERE unit_id = ${block.unit_id}::uuid AND status = 'FULFILLED'
    FOR UPDATE`;
  const unit = await lockUnitRow(tx, block.unit_id);
  const tenant = unit.status === "OCCUPIED" ? (tenants[0] ?? null) : null;
  if (!tenant) {
    const pool = await endActiveBlock(tx, ctx, { unit, booking: null, activeBlocks: [block] }, block, endedByUserId);
    return { unit, inventoryVersion: pool.inventoryVersion, restored: null };
  }
  const ended = await tx.maintenanceBlock.updateMany({
    where: { id: block.id, status: "ACTIVE" },
    data: { status: "ENDED", endedAt: ctx.now, endedByUserId },
  });
  if (ended.count !== 1) throw new Error(`endBlockOnUnit: block ${block.id} is not ACTIVE`);
  const stillBlocked = await tx.maintenanceBlock.count({ where: { unitId: unit.id, status: "ACTIVE" } });
  const grants = stillBlocked
    ? []
    : await tx.accessGrant.findMany({ where: { bookingId: tenant.id, status: "SUSPENDED" }, select: { id: true } });
  if (grants.length) {
    await tx.accessGrant.updateMany({ where: { id: { in: grants.map((g) => g.id) } }, data: { status: "ACTIVE", suspendedAt: null } });
    const version = await bumpBooking(tx, tenant.id, {}, null, ctx.now);
    const ref = { id: tenant.id, reference: tenant.reference, unit_id: unit.id, facility_id: tenant.facility_id, partner_id: tenant.partner_id };
    for (const grant of grants) {
      await appendBookingEvent(tx, ref, ctx.actor, {
        type: "access.restored",
        version,
        now: ctx.clock,
        data: { access_grant_id: grant.id, restored_at: ctx.now.toISOString(), block_id: block.id },
      });
    }
  }
  const pool = await tx.inventoryPool.findUniqueOrThrow({ where: { id: unit.pool_id }, select: { inventoryVersion: true } });
  await appendUnitEvent(tx, ctx, unit, "unit.unblocked", pool, {
    block_id: block.id,
    reason: block.reason,
    started_at: block.started_at?.toISOString() ?? null,
    ended_at: ctx.now.toISOString(),
    occupied: true,
  });
  return { unit, inventoryVersion: pool.inventoryVersion, restored: { reference: tenant.reference, grantIds: grants.map((g) => g.id) } };
}
