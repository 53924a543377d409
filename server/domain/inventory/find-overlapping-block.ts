import { DomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { BLOCK_COLUMNS, type BlockRow, type BlockWindow } from "./maintenance-blocks";

/**
 * The first ACTIVE or SCHEDULED block of the unit whose window overlaps `window` (end
 * exclusive, no end = open-ended). ACTIVE blocks already past their end do not count:
 * they end when the next block starts, or when the job next runs.
 */
export async function findOverlappingBlock(
  tx: Tx,
  unitId: string,
  window: BlockWindow,
  now: Date,
  excludeBlockId?: string,
): Promise<BlockRow | null> {
  const exclude = excludeBlockId ?? "00000000-0000-0000-0000-000000000000";
  const rows = await tx.$queryRaw<BlockRow[]>`
    SELECT ${BLOCK_COLUMNS} FROM maintenance_blocks
    WHERE unit_id = ${unitId}::uuid AND status IN ('ACTIVE', 'SCHEDULED') AND id <> ${exclude}::uuid
      AND NOT (status = 'ACTIVE' AND ends_at IS NOT NULL AND ends_at <= ${now})
      AND (ends_at IS NULL OR ends_at > ${window.startsAt})
      AND (${window.endsAt}::timestamptz IS NULL OR starts_at < ${window.endsAt}::timestamptz)
    ORDER BY starts_at, id LIMIT 1`;
  return rows[0] ?? null;
}

export function blockClash(unitCode: string, block: BlockRow): DomainError {
  const until = block.ends_at ? ` until ${block.ends_at.toISOString()}` : " with no end";
  return new DomainError(
    "CONFLICT",
    `Unit ${unitCode} already has a ${block.status.toLowerCase()} block (${block.id}) from ${block.starts_at.toISOString()}${until}.`,
    {
      unit_code: unitCode,
      block_id: block.id,
      block_status: block.status.toLowerCase(),
      block_reason: block.reason,
      block_starts_at: block.starts_at.toISOString(),
      block_ends_at: block.ends_at?.toISOString() ?? null,
    },
  );
}
