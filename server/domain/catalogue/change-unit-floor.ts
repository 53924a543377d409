import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendUnitEvent } from "../inventory/append-unit-event";
import { lockCatalogueUnit } from "./lock-catalogue-unit";

export const ChangeUnitFloorInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    unit_code: z.string().trim().min(1).max(32),
    floor: z.number().int().min(-10).max(200),
  })
  .strict();
export type ChangeUnitFloorInput = z.input<typeof ChangeUnitFloorInput>;

/**
 * Moves a unit to another floor (docs/domain.md#catalogue): its availability does not
 * change, so its pool does not either; event unit.updated and the audit entry, in one
 * transaction. Any unit but a retired one may move; the same floor is a no-op.
 */
export async function changeUnitFloor(raw: ChangeUnitFloorInput, actor: Actor, options: ServiceOptions = {}): Promise<{ changed: boolean }> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(ChangeUnitFloorInput, raw);
  return inTransaction(options, async (tx) => {
    const unit = await lockCatalogueUnit(tx, actor, input.facility_code, input.unit_code);
    const [current] = await tx.$queryRaw<{ floor: number; inventory_version: number }[]>`
      SELECT u.floor, p.inventory_version FROM units u JOIN inventory_pools p ON p.id = u.pool_id WHERE u.id = ${unit.id}::uuid`;
    if (unit.status === "RETIRED") throw new DomainError("CONFLICT", `Unit ${unit.code} is retired.`, { unit_code: unit.code, current_status: unit.status });
    if (!current || current.floor === input.floor) return { changed: false };
    await tx.$executeRaw`UPDATE units SET floor = ${input.floor} WHERE id = ${unit.id}::uuid`;
    const ctx = { actor, now: options.now ?? new Date(), clock: options.now };
    await appendUnitEvent(tx, ctx, unit, "unit.updated", { inventoryVersion: current.inventory_version }, { floor: input.floor, previous_floor: current.floor });
    await writeAudit(tx, actor, {
      action: "unit.update",
      targetType: "unit",
      targetId: unit.id,
      facilityId: unit.facility_id,
      metadata: { facility_code: unit.facility_code, unit_code: unit.code, floor: input.floor, previous_floor: current.floor },
      at: options.now,
    });
    return { changed: true };
  });
}
