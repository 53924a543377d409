import type { Tx } from "@/server/domain/shared/tx";
import { appendUnitEvent } from "./append-unit-event";
import type { BlockContext, BlockRow, UnitForBlock } from "./maintenance-blocks";
import { transitionUnit, type PoolSnapshot } from "./unit-transition";

/**
 * Ends an ACTIVE block: the unit BLOCKED → AVAILABLE (pool version +1, inventory.updated
 * with cause unit.unblocked), the block ENDED, and a unit.unblocked event.
 */
export async function endActiveBlock(
  tx: Tx,
  ctx: BlockContext,
  state: UnitForBlock,
  block: BlockRow,
  endedByUserId: string | null,
): Promise<PoolSnapshot> {
  const pool = await transitionUnit(tx, {
    unitId: state.unit.id,
    from: "BLOCKED",
    to: "AVAILABLE",
    correlationId: ctx.actor.correlationId,
    cause: "unit.unblocked",
    now: ctx.clock,
  });
  const ended = await tx.maintenanceBlock.updateMany({
    where: { id: block.id, status: "ACTIVE" },
    data: { status: "ENDED", endedAt: ctx.now, endedByUserId },
  });
  if (ended.count !== 1) throw new Error(`endActiveBlock: block ${block.id} is not ACTIVE`);
  await appendUnitEvent(tx, ctx, state.unit, "unit.unblocked", pool, {
    block_id: block.id,
    reason: block.reason,
    started_at: block.started_at?.toISOString() ?? null,
    ended_at: ctx.now.toISOString(),
  });
  state.unit.status = "AVAILABLE";
  state.activeBlocks = state.activeBlocks.filter((b) => b.id !== block.id);
  return pool;
}
