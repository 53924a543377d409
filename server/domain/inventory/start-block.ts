import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { appendUnitEvent } from "./append-unit-event";
import { endActiveBlock } from "./end-active-block";
import { blockClash } from "./find-overlapping-block";
import { isOverdue, type BlockContext, type BlockRow, type UnitForBlock } from "./maintenance-blocks";
import { transitionUnit, type PoolSnapshot } from "./unit-transition";

/**
 * Starts a SCHEDULED block on a unit that is free for it: any ACTIVE block already past
 * its end is ended first (each change its own pool version), then the unit AVAILABLE →
 * BLOCKED, the block ACTIVE, and a unit.blocked event.
 */
export async function startBlock(
  tx: Tx,
  ctx: BlockContext,
  state: UnitForBlock,
  block: Pick<BlockRow, "id" | "reason" | "starts_at" | "ends_at">,
): Promise<PoolSnapshot> {
  for (const overdue of state.activeBlocks.filter((b) => isOverdue(b, ctx.now))) {
    await endActiveBlock(tx, ctx, state, overdue, null);
    await writeAudit(tx, ctx.actor, {
      action: "unit.block_end",
      targetType: "maintenance_block",
      targetId: overdue.id,
      facilityId: state.unit.facility_id,
      metadata: { unit_code: state.unit.code, scheduled_end: overdue.ends_at?.toISOString() ?? null, next_block_id: block.id },
      at: ctx.clock,
    });
  }
  const current = state.activeBlocks[0];
  if (current) throw blockClash(state.unit.code, current);
  if (state.unit.status !== "AVAILABLE") {
    throw new DomainError("CONFLICT", `Unit ${state.unit.code} is ${state.unit.status.toLowerCase()}, not available.`, {
      unit_code: state.unit.code,
      unit_status: state.unit.status.toLowerCase(),
    });
  }
  const pool = await transitionUnit(tx, {
    unitId: state.unit.id,
    from: "AVAILABLE",
    to: "BLOCKED",
    correlationId: ctx.actor.correlationId,
    cause: "unit.blocked",
    now: ctx.clock,
  });
  const started = await tx.maintenanceBlock.updateMany({
    where: { id: block.id, status: "SCHEDULED" },
    data: { status: "ACTIVE", startedAt: ctx.now },
  });
  if (started.count !== 1) throw new Error(`startBlock: block ${block.id} is not SCHEDULED`);
  await appendUnitEvent(tx, ctx, state.unit, "unit.blocked", pool, {
    block_id: block.id,
    reason: block.reason,
    starts_at: block.starts_at.toISOString(),
    ends_at: block.ends_at?.toISOString() ?? null,
  });
  state.unit.status = "BLOCKED";
  state.activeBlocks = [{ ...block, facility_id: state.unit.facility_id, unit_id: state.unit.id, status: "ACTIVE", started_at: ctx.now }];
  return pool;
}
