import { systemActor } from "../shared/actor";
import { writeAudit } from "../shared/audit";
import { isDomainError, type DomainError } from "../shared/errors";
import { inTransaction } from "../shared/transaction";
import type { Tx } from "../shared/tx";
import { occupantOf } from "./block-occupant";
import { endActiveBlock } from "./end-active-block";
import { blockClash } from "./find-overlapping-block";
import { lockUnitForBlockChange, lockUnitRow } from "./lock-unit-for-block";
import { BLOCK_COLUMNS, isOverdue, type BlockContext, type BlockRow } from "./maintenance-blocks";
import { moveBookingOffUnit } from "./move-booking-off-unit";
import { startBlock } from "./start-block";

/**
 * The worker's side of maintenance blocks: scheduled blocks start, and blocks with an end
 * end, by themselves (docs/domain.md#maintenance-blocks). Each block is claimed with FOR
 * UPDATE SKIP LOCKED and handled in a transaction of its own, so workers running side by
 * side share the work without waiting on each other, one block's trouble does not hold up
 * the rest, and a re-run finds nothing left to do. Blocks are taken in pool order.
 *
 * A block that cannot start stays SCHEDULED, with a FAILED audit entry saying why (once
 * per distinct reason), and is tried again on the next run. Either runner may go first:
 * starting a block ends any block of the same unit that is past its end.
 */

export interface ScheduledBlocksOptions {
  /** the clock; defaults to now */
  now?: Date;
  /** at most this many blocks per call (default 100); call again while it is reached */
  limit?: number;
  correlationId?: string;
}

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

export interface EndDueBlocksResult {
  ended: number;
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

export async function endDueBlocks(options: ScheduledBlocksOptions = {}): Promise<EndDueBlocksResult> {
  const ctx = jobContext("end-blocks", options);
  const result: EndDueBlocksResult = { ended: 0, failed: 0 };
  await eachClaimedBlock(
    ctx,
    options.limit ?? 100,
    "unit.block_end",
    (tx, attempted) => tx.$queryRaw<BlockRow[]>`
      SELECT ${BLOCK_COLUMNS} FROM maintenance_blocks b
      WHERE status = 'ACTIVE' AND ends_at <= ${ctx.now} AND id <> ALL(${attempted}::uuid[])
      ORDER BY (SELECT u.pool_id FROM units u WHERE u.id = b.unit_id), unit_id, ends_at
      LIMIT 1
      FOR UPDATE SKIP LOCKED`,
    async (tx, block) => {
      // Lock order: block → unit → pool. An ACTIVE block's unit has no live booking.
      const unit = await lockUnitRow(tx, block.unit_id);
      const pool = await endActiveBlock(tx, ctx, { unit, booking: null, activeBlocks: [block] }, block, null);
      await writeAudit(tx, ctx.actor, {
        action: "unit.block_end",
        targetType: "maintenance_block",
        targetId: block.id,
        facilityId: block.facility_id,
        metadata: { unit_code: unit.code, scheduled_end: block.ends_at?.toISOString() ?? null, inventory_version: pool.inventoryVersion },
        at: ctx.clock,
      });
      result.ended++;
    },
    () => result.failed++,
  );
  return result;
}

function jobContext(job: string, options: ScheduledBlocksOptions): BlockContext {
  const now = options.now ?? new Date();
  return {
    actor: systemActor(job, options.correlationId ?? `cor_${job}_${now.getTime()}`),
    now,
    clock: options.now,
  };
}

/**
 * Claims one due block at a time, each in its own transaction, until none is left or
 * `limit` were tried. A block whose handling fails with a domain refusal is rolled back,
 * audited as FAILED, and not tried again in this call.
 */
async function eachClaimedBlock(
  ctx: BlockContext,
  limit: number,
  action: string,
  claim: (tx: Tx, attempted: string[]) => Promise<BlockRow[]>,
  handle: (tx: Tx, block: BlockRow) => Promise<void>,
  onFailure: () => void,
): Promise<void> {
  const attempted: string[] = [];
  while (attempted.length < limit) {
    const claimed: { block: BlockRow | null } = { block: null };
    try {
      const found = await inTransaction({ now: ctx.clock }, async (tx) => {
        const block = (await claim(tx, attempted))[0];
        if (!block) return false;
        claimed.block = block;
        await handle(tx, block);
        return true;
      });
      if (!found) return;
    } catch (error) {
      if (!claimed.block || !isDomainError(error)) throw error;
      onFailure();
      await recordFailure(ctx, claimed.block, action, error);
    }
    attempted.push(claimed.block!.id);
  }
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

/** A FAILED audit entry for a block the job could not handle; repeated failures for the same reason are written once. */
async function recordFailure(ctx: BlockContext, block: BlockRow, action: string, error: DomainError): Promise<void> {
  await inTransaction({}, async (tx) => {
    const last = await tx.auditEntry.findFirst({
      where: { targetType: "maintenance_block", targetId: block.id },
      orderBy: { id: "desc" },
      select: { action: true, result: true, reason: true },
    });
    if (last?.action === action && last.result === "FAILED" && last.reason === error.message) return;
    await writeAudit(tx, ctx.actor, {
      action,
      targetType: "maintenance_block",
      targetId: block.id,
      facilityId: block.facility_id,
      result: "FAILED",
      reason: error.message,
      metadata: { code: error.code, ...error.context },
      at: ctx.clock,
    });
  });
}
