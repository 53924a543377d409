import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendUnitEvent } from "../inventory/append-unit-event";
import { lockCatalogueUnit, refuseIfInUse } from "./lock-catalogue-unit";
import { resizePool } from "./resize-pool";

export const RetireUnitInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    unit_code: z.string().trim().min(1).max(32),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();
export type RetireUnitInput = z.input<typeof RetireUnitInput>;

export interface RetireUnitResult {
  changed: boolean;
  /** the pool's inventory_version after the change (null when nothing changed) */
  inventoryVersion: number | null;
}

/**
 * Takes a unit out of the catalogue for good (docs/domain.md#catalogue): nothing is
 * deleted — the unit becomes RETIRED, counted in no pool (`total` and `available` −1,
 * `inventory_version` +1, inventory.updated with cause unit.retired), with event
 * unit.retired and the audit entry, in one transaction. Refused (CONFLICT, changing
 * nothing) while a live booking or an active or scheduled block stands on the unit — the
 * context names the booking's reference or the block's id. Retiring a retired unit is a
 * no-op.
 */
export async function retireUnit(raw: RetireUnitInput, actor: Actor, options: ServiceOptions = {}): Promise<RetireUnitResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(RetireUnitInput, raw);
  return inTransaction(options, async (tx) => {
    const unit = await lockCatalogueUnit(tx, actor, input.facility_code, input.unit_code);
    if (unit.status === "RETIRED") return { changed: false, inventoryVersion: null };
    await refuseIfInUse(tx, unit, "retire");
    const updated = await tx.$executeRaw`
      UPDATE units SET status = 'RETIRED', status_changed_at = coalesce(${options.now ?? null}::timestamptz, now())
      WHERE id = ${unit.id}::uuid AND status = 'AVAILABLE'`;
    if (updated !== 1) throw new DomainError("CONFLICT", `Unit ${unit.code} is not AVAILABLE any more.`, { unit_code: unit.code });
    const pool = await resizePool(tx, { poolId: unit.pool_id, delta: -1, correlationId: actor.correlationId, cause: "unit.retired", now: options.now });
    const ctx = { actor, now: options.now ?? new Date(), clock: options.now };
    await appendUnitEvent(tx, ctx, unit, "unit.retired", pool, { reason: input.reason });
    await writeAudit(tx, actor, {
      action: "unit.retire",
      targetType: "unit",
      targetId: unit.id,
      facilityId: unit.facility_id,
      reason: input.reason,
      metadata: { facility_code: unit.facility_code, unit_code: unit.code, unit_type_code: unit.unit_type_code, inventory_version: pool.inventoryVersion },
      at: options.now,
    });
    return { changed: true, inventoryVersion: pool.inventoryVersion };
  });
}
