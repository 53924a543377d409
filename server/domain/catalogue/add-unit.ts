import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendUnitEvent } from "../inventory/append-unit-event";
import { CatalogueCode, codeTaken } from "./catalogue-codes";
import { findFacility, findUnitType } from "./find-facility";
import { resizePool } from "./resize-pool";

export const AddUnitInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    unit_type_code: z.string().trim().min(1).max(32),
    code: CatalogueCode,
    floor: z.number().int().min(-10).max(200).default(0),
  })
  .strict();
export type AddUnitInput = z.input<typeof AddUnitInput>;

export interface AddUnitResult {
  id: string;
  code: string;
  /** the pool's inventory_version after the unit joined it */
  inventoryVersion: number;
}

/**
 * A new unit of a type at its facility (docs/domain.md#catalogue): AVAILABLE, in the type's
 * pool — `total` and `available` +1, `inventory_version` +1 and the pool's
 * inventory.updated (cause unit.added) — with event unit.added and the audit entry, all in
 * one transaction. A code taken at the facility (by a unit, retired or not) is refused.
 */
export async function addUnit(raw: AddUnitInput, actor: Actor, options: ServiceOptions = {}): Promise<AddUnitResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(AddUnitInput, raw);
  return inTransaction(options, async (tx) => {
    const facility = await findFacility(tx, actor, input.facility_code);
    const unitType = await findUnitType(tx, facility, input.unit_type_code);
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO units (facility_id, unit_type_id, pool_id, code, floor, status, status_changed_at, created_at)
      VALUES (${facility.id}::uuid, ${unitType.id}::uuid, ${unitType.pool.id}::uuid, ${input.code}, ${input.floor}, 'AVAILABLE',
              coalesce(${options.now ?? null}::timestamptz, now()), coalesce(${options.now ?? null}::timestamptz, now()))
      ON CONFLICT (facility_id, code) DO NOTHING
      RETURNING id`;
    const unitId = inserted[0]?.id;
    if (!unitId) throw codeTaken("Unit", input.code, "code", input.code);
    const pool = await resizePool(tx, { poolId: unitType.pool.id, delta: 1, correlationId: actor.correlationId, cause: "unit.added", now: options.now });
    const unit = { id: unitId, facility_id: facility.id, facility_code: facility.code, code: input.code, unit_type_code: unitType.code };
    const ctx = { actor, now: options.now ?? new Date(), clock: options.now };
    await appendUnitEvent(tx, ctx, unit, "unit.added", pool, { floor: input.floor });
    await writeAudit(tx, actor, {
      action: "unit.add",
      targetType: "unit",
      targetId: unitId,
      facilityId: facility.id,
      metadata: { facility_code: facility.code, unit_code: input.code, unit_type_code: unitType.code, floor: input.floor, inventory_version: pool.inventoryVersion },
      at: options.now,
    });
    return { id: unitId, code: input.code, inventoryVersion: pool.inventoryVersion };
  });
}
