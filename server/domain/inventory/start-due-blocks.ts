import { writeAudit } from "@/server/domain/shared/audit";
import type { Tx } from "@/server/domain/shared/tx";
import { occupantOf } from "./block-occupant";
import { eachClaimedBlock, jobContext, type ScheduledBlocksOptions } from "./due-blocks";
import { blockClash } from "./find-overlapping-block";
import { lockUnitForBlockChange, lockUnitRow } from "./lock-unit-for-block";
import { BLOCK_COLUMNS, isOverdue, keepsTenant, type BlockContext, type BlockRow } from "./maintenance-blocks";
import { moveBookingOffUnit } from "./move-booking-off-unit";
import { startBlock } from "./start-block";
import { startTenantBlock } from "./start-tenant-block";

export interface StartDueBlocksResult {
  /** started on a free unit */
  started: number;
  /** started after moving a hold or confirmed booking off the unit */
  moved: number;
  /** never started because their end had passed too: closed as ENDED */
  lapsed: number;
  /** left SCHEDULED (audited FAILED), to be tried again */
  failed: number;
}

type StartOutcome = "started" | "moved" | "lapsed";

export async function startDueBlocks(options: ScheduledBlocksOptions = {}): Promise<StartDueBlocksResult> {
  const ctx = jobContext("start-blocks", options);
  const result: StartDueBlocksResult = { started: 0, moved: 0, lapsed: 0, failed: 0 };
  await eachClaimedBlock(
    ctx,
    options.limit ?? 100,
    "unit.block_start",
    (tx, attempted) => tx.$queryRaw<BlockRow[]>`
      SELECT ${BLOCK_COLUMNS} FROM maintenance_blocks b
      WHERE status = 'SCHEDULED' AND starts_at <= ${ctx.now} AND id <> ALL(${attempted}::uuid[])
      ORDER BY (SELECT u.pool_id FROM units u WHERE u.id = b.unit_id), unit_id, starts_at
      LIMIT 1
      FOR UPDATE SKIP LOCKED`,
    async (tx, block) => {
      result[await startDueBlock(tx, ctx, block)]++;
    },
    () => result.failed++,
  );
  return result;
}

async function startDueBlock(tx: Tx, ctx: BlockContext, block: BlockRow): Promise<StartOutcome> {
  if (isOverdue(block, ctx.now)) {
    // Its whole window passed before it could start (e.g. the worker was down).
    const unit = await lockUnitRow(tx, block.unit_id);
    await tx.maintenanceBlock.update({ where: { id: block.id }, data: { status: "ENDED", endedAt: ctx.now } });
    await writeAudit(tx, ctx.actor, {
      action: "unit.block_lapse",
      targetType: "maintenance_block",
      targetId: block.id,
      facilityId: block.facility_id,
      reason: "The block's end passed before it could start.",
      metadata: { unit_code: unit.code, starts_at: block.starts_at.toISOString(), ends_at: block.ends_at?.toISOString() ?? null },
      at: ctx.clock,
    });
    return "lapsed";
  }
  // Lock order: block (claimed) → overdue blocks → booking → unit → pool.
  const state = await lockUnitForBlockChange(tx, block.unit_id, ctx.now);
  const running = state.activeBlocks.find((active) => !isOverdue(active, ctx.now));
  if (running) throw blockClash(state.unit.code, running);
  const occupant = occupantOf(state, { startsAt: block.starts_at, endsAt: block.ends_at }, ctx.now);
  if (occupant?.booking?.status === "FULFILLED" && keepsTenant(block.reason)) {
    // An overlock or lock fault on an occupied unit keeps its tenant (docs/domain.md#site-operations).
    const started = await startTenantBlock(tx, ctx, state, block);
    await writeAudit(tx, ctx.actor, {
      action: "unit.block_start",
      targetType: "maintenance_block",
      targetId: block.id,
      facilityId: block.facility_id,
      metadata: {
        unit_code: state.unit.code,
        starts_at: block.starts_at.toISOString(),
        tenant_kept: occupant.booking.reference,
        access_suspended: { booking_reference: occupant.booking.reference, access_grant_ids: started.suspendedGrantIds },
        inventory_version: started.inventoryVersion,
      },
      at: ctx.clock,
    });
    return "started";
  }
  if (occupant && !occupant.movable) throw occupant.refusal;
  const moved = occupant ? await moveBookingOffUnit(tx, ctx, state, block.id) : null;
  const pool = await startBlock(tx, ctx, state, block);
  await writeAudit(tx, ctx.actor, {
    action: "unit.block_start",
    targetType: "maintenance_block",
    targetId: block.id,
    facilityId: block.facility_id,
    metadata: {
      unit_code: state.unit.code,
      starts_at: block.starts_at.toISOString(),
      moved_booking: moved ? { reference: moved.reference, from_unit_code: moved.fromUnitCode, to_unit_code: moved.toUnitCode } : null,
      inventory_version: pool.inventoryVersion,
    },
    at: ctx.clock,
  });
  return moved ? "moved" : "started";
}
