import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendCatalogueEvent } from "./catalogue-events";
import { CatalogueCode, codeTaken } from "./catalogue-codes";
import { findFacility } from "./find-facility";
import { areaOf, MonthlyRateCents, unitTypeData, UnitTypeFields } from "./unit-type-fields";

export const CreateUnitTypeInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    code: CatalogueCode,
    ...UnitTypeFields,
    features: UnitTypeFields.features.default([]),
    monthly_rate_cents: MonthlyRateCents,
  })
  .strict();
export type CreateUnitTypeInput = z.input<typeof CreateUnitTypeInput>;

export interface CreateUnitTypeResult {
  id: string;
  code: string;
  poolId: string;
}

/**
 * A new unit type at a facility, with its inventory pool (empty: every counter and the
 * inventory_version 0) — docs/domain.md#catalogue. The code is new at the facility (now
 * and before a rename). Event unit_type.created and the audit entry in the same
 * transaction; the pool's first inventory.updated comes with its first unit.
 */
export async function createUnitType(raw: CreateUnitTypeInput, actor: Actor, options: ServiceOptions = {}): Promise<CreateUnitTypeResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(CreateUnitTypeInput, raw);
  return inTransaction(options, async (tx) => {
    const facility = await findFacility(tx, actor, input.facility_code);
    // Codes of one facility's types are decided one change at a time (old codes are not in the unique index).
    await tx.$queryRaw`SELECT id FROM facilities WHERE id = ${facility.id}::uuid FOR UPDATE`;
    const taken = await tx.unitType.findFirst({
      where: { facilityId: facility.id, OR: [{ code: input.code }, { previousCodes: { has: input.code } }] },
      select: { code: true },
    });
    if (taken) throw codeTaken("Unit type", input.code, "code", taken.code);
    const unitType = await tx.unitType.create({
      data: {
        facilityId: facility.id,
        code: input.code,
        name: input.name,
        widthFt: input.width_ft,
        depthFt: input.depth_ft,
        areaSqFt: areaOf(input.width_ft, input.depth_ft),
        climateControlled: input.climate_controlled,
        features: input.features,
        monthlyRateCents: input.monthly_rate_cents,
        createdAt: options.now,
        pool: { create: { facilityId: facility.id, updatedAt: options.now } },
      },
      include: { pool: { select: { id: true } } },
    });
    const data = unitTypeData(facility.code, unitType);
    await appendCatalogueEvent(tx, {
      type: "unit_type.created",
      aggregateId: unitType.id,
      facilityId: facility.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data,
    });
    await writeAudit(tx, actor, {
      action: "unit_type.create",
      targetType: "unit_type",
      targetId: unitType.id,
      facilityId: facility.id,
      metadata: { ...data, pool_id: unitType.pool!.id },
      at: options.now,
    });
    return { id: unitType.id, code: unitType.code, poolId: unitType.pool!.id };
  });
}
