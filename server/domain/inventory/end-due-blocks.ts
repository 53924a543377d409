import { writeAudit } from "@/server/domain/shared/audit";
import { eachClaimedBlock, jobContext, type ScheduledBlocksOptions } from "./due-blocks";
import { endBlockOnUnit } from "./end-block-on-unit";
import { BLOCK_COLUMNS, type BlockRow } from "./maintenance-blocks";

export interface EndDueBlocksResult {
  ended: number;
  failed: number;
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
      // Lock order: block → the unit's tenant booking (an overlock or lock fault) → unit → pool.
      const { unit, inventoryVersion, restored } = await endBlockOnUnit(tx, ctx, block, null);
      await writeAudit(tx, ctx.actor, {
        action: "unit.block_end",
        targetType: "maintenance_block",
        targetId: block.id,
        facilityId: block.facility_id,
        metadata: {
          unit_code: unit.code,
          scheduled_end: block.ends_at?.toISOString() ?? null,
          inventory_version: inventoryVersion,
          access_restored: restored ? { booking_reference: restored.reference, access_grant_ids: restored.grantIds } : null,
        },
        at: ctx.clock,
      });
      result.ended++;
    },
    () => result.failed++,
  );
  return result;
}
