import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { CatalogueCode, codeTaken } from "./catalogue-codes";
import { findFacility, findUnitType } from "./find-facility";
import { addUnits } from "./add-units";

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
 * one transaction (addUnits). A code taken at the facility (by a unit, retired or not) is refused.
 */
export async function addUnit(raw: AddUnitInput, actor: Actor, options: ServiceOptions = {}): Promise<AddUnitResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(AddUnitInput, raw);
  return inTransaction(options, async (tx) => {
    const facility = await findFacility(tx, actor, input.facility_code);
    const unitType = await findUnitType(tx, facility, input.unit_type_code);
    const { added } = await addUnits(tx, actor, facility, [{ code: input.code, floor: input.floor, unitType: { id: unitType.id, code: unitType.code, poolId: unitType.pool.id } }], { now: options.now });
    if (!added[0]) throw codeTaken("Unit", input.code, "code", input.code);
    return { id: added[0].id, code: input.code, inventoryVersion: added[0].inventoryVersion };
  });
}
