import { systemActor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { isDomainError, type DomainError } from "@/server/domain/shared/errors";
import { inTransaction } from "@/server/domain/shared/transaction";
import type { Tx } from "@/server/domain/shared/tx";
import type { BlockContext, BlockRow } from "./maintenance-blocks";

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

export function jobContext(job: string, options: ScheduledBlocksOptions): BlockContext {
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
export async function eachClaimedBlock(
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
