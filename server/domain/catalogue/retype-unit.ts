import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendUnitEvent } from "../inventory/append-unit-event";
import { findUnitType } from "./find-facility";
import { lockCatalogueUnit, refuseIfInUse } from "./lock-catalogue-unit";
import { resizePool } from "./resize-pool";

export const RetypeUnitInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    unit_code: z.string().trim().min(1).max(32),
    /** the type the unit becomes, at the same facility */
    unit_type_code: z.string().trim().min(1).max(32),
  })
  .strict();
export type RetypeUnitInput = z.input<typeof RetypeUnitInput>;

export interface RetypeUnitResult {
  changed: boolean;
  fromUnitTypeCode: string;
  toUnitTypeCode: string;
}

/**
 * Moves a unit to another type of its facility (docs/domain.md#catalogue): it leaves its
 * pool (`total`, `available` −1) and joins the other (+1), each pool's
 * `inventory_version` +1 with its inventory.updated (cause unit.retyped), event
 * unit.retyped and the audit entry, in one transaction. Refused like a retire (CONFLICT
 * naming the booking or block) while anything stands on the unit, and for a retired
 * unit. The same type is a no-op.
 */
export async function retypeUnit(raw: RetypeUnitInput, actor: Actor, options: ServiceOptions = {}): Promise<RetypeUnitResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(RetypeUnitInput, raw);
  return inTransaction(options, async (tx) => {
    const unit = await lockCatalogueUnit(tx, actor, input.facility_code, input.unit_code);
    const target = await findUnitType(tx, { id: unit.facility_id, code: unit.facility_code }, input.unit_type_code);
    if (target.id === unit.unit_type_id) return { changed: false, fromUnitTypeCode: unit.unit_type_code, toUnitTypeCode: target.code };
    if (unit.status === "RETIRED") {
      throw new DomainError("CONFLICT", `Unit ${unit.code} is retired.`, { unit_code: unit.code, current_status: unit.status });
    }
    await refuseIfInUse(tx, unit, "retype");
    await tx.$executeRaw`
      UPDATE units SET unit_type_id = ${target.id}::uuid, pool_id = ${target.pool.id}::uuid
      WHERE id = ${unit.id}::uuid AND status = 'AVAILABLE'`;
    // Pools in id order, as every change that takes two of them.
    const moves = [
      { poolId: unit.pool_id, delta: -1 as const },
      { poolId: target.pool.id, delta: 1 as const },
    ].sort((a, b) => a.poolId.localeCompare(b.poolId));
    const pools = [];
    for (const move of moves) {
      pools.push(await resizePool(tx, { ...move, correlationId: actor.correlationId, cause: "unit.retyped", now: options.now }));
    }
    const toPool = pools.find((p) => p.poolId === target.pool.id)!;
    const fromPool = pools.find((p) => p.poolId === unit.pool_id)!;
    const ctx = { actor, now: options.now ?? new Date(), clock: options.now };
    await appendUnitEvent(tx, ctx, { ...unit, unit_type_code: target.code }, "unit.retyped", toPool, {
      previous_unit_type_code: unit.unit_type_code,
      previous_inventory_version: fromPool.inventoryVersion,
    });
    await writeAudit(tx, actor, {
      action: "unit.retype",
      targetType: "unit",
      targetId: unit.id,
      facilityId: unit.facility_id,
      metadata: {
        facility_code: unit.facility_code,
        unit_code: unit.code,
        from_unit_type_code: unit.unit_type_code,
        to_unit_type_code: target.code,
        from_inventory_version: fromPool.inventoryVersion,
        to_inventory_version: toPool.inventoryVersion,
      },
      at: options.now,
    });
    return { changed: true, fromUnitTypeCode: unit.unit_type_code, toUnitTypeCode: target.code };
  });
}
