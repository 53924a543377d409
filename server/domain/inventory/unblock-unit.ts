import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { endBlockOnUnit } from "./end-block-on-unit";
import { lockBlock, lockUnitRow } from "./lock-unit-for-block";
import { userIdOf, type BlockContext } from "./maintenance-blocks";
import { loadUnitBlockView, type UnitBlockView } from "./unit-block-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const UnblockUnitInput = z
  .object({
    block_id: z.uuid(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type UnblockUnitInput = z.input<typeof UnblockUnitInput>;

export interface UnblockUnitResult {
  block: UnitBlockView;
  /** false when the block had already ended or been cancelled (a no-op) */
  changed: boolean;
  /** the pool's inventory_version after ending an ACTIVE block; null when the pool did not change */
  inventoryVersion: number | null;
}

/**
 * Ends a block early or calls off a scheduled one. An ACTIVE block ends and its unit is
 * available again (pool version +1, inventory.updated and unit.unblocked) — or, for an
 * overlock or lock fault on an occupied unit, the tenant's access is restored and the
 * pool does not change; a SCHEDULED block is cancelled and nothing else changes. An ENDED or CANCELLED block is a no-op.
 */
export async function unblockUnit(rawInput: UnblockUnitInput, actor: Actor, options: ServiceOptions = {}): Promise<UnblockUnitResult> {
  await authorize(actor, "unit.block");
  const input = parseOrRefuse(UnblockUnitInput, rawInput);
  const now = options.now ?? new Date();
  const ctx: BlockContext = { actor, now, clock: options.now };

  return inTransaction(options, async (tx) => {
    // Lock order: block → unit → pool.
    const block = await lockBlock(tx, input.block_id, actor);
    if (!block) {
      throw new DomainError("NOT_FOUND", `Block ${input.block_id} was not found.`);
    }
    if (block.status === "ENDED" || block.status === "CANCELLED") {
      return { block: await loadUnitBlockView(tx, block.id), changed: false, inventoryVersion: null };
    }
    const audit = {
      targetType: "maintenance_block",
      targetId: block.id,
      facilityId: block.facility_id,
      reason: input.note || null,
      at: options.now,
    };
    if (block.status === "SCHEDULED") {
      const unit = await lockUnitRow(tx, block.unit_id);
      await tx.maintenanceBlock.update({
        where: { id: block.id },
        data: { status: "CANCELLED", endedAt: now, endedByUserId: userIdOf(actor) },
      });
      await writeAudit(tx, actor, {
        ...audit,
        action: "unit.block_cancel",
        metadata: { unit_code: unit.code, reason: block.reason, starts_at: block.starts_at.toISOString(), note: input.note ?? null },
      });
      return { block: await loadUnitBlockView(tx, block.id), changed: true, inventoryVersion: null };
    }
    // Lock order: block → the unit's tenant booking, if any → unit → pool.
    const { unit, inventoryVersion, restored } = await endBlockOnUnit(tx, ctx, block, userIdOf(actor));
    await writeAudit(tx, actor, {
      ...audit,
      action: "unit.unblock",
      metadata: {
        unit_code: unit.code,
        reason: block.reason,
        started_at: block.started_at?.toISOString() ?? null,
        scheduled_end: block.ends_at?.toISOString() ?? null,
        note: input.note ?? null,
        inventory_version: inventoryVersion,
        access_restored: restored ? { booking_reference: restored.reference, access_grant_ids: restored.grantIds } : null,
      },
    });
    return { block: await loadUnitBlockView(tx, block.id), changed: true, inventoryVersion: restored ? null : inventoryVersion };
  });
}
