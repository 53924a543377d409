import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendCatalogueEvent } from "./catalogue-events";
import { CatalogueCode, codeTaken } from "./catalogue-codes";
import { findFacility, findUnitType } from "./find-facility";
import { areaOf, unitTypeData, UnitTypeFields } from "./unit-type-fields";

export const UpdateUnitTypeInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    /** the type's code, or one it had before a rename */
    unit_type_code: z.string().trim().min(1).max(32),
    /** a new code: the old one is kept in previous_codes and still finds the type */
    code: CatalogueCode.optional(),
    name: UnitTypeFields.name.optional(),
    width_ft: UnitTypeFields.width_ft.optional(),
    depth_ft: UnitTypeFields.depth_ft.optional(),
    climate_controlled: UnitTypeFields.climate_controlled.optional(),
    features: UnitTypeFields.features.optional(),
  })
  .strict();
export type UpdateUnitTypeInput = z.input<typeof UpdateUnitTypeInput>;

export interface UpdateUnitTypeResult {
  changed: boolean;
  code: string;
  changedFields: string[];
}

/**
 * Changes a unit type's code, name, size, climate control or features
 * (docs/domain.md#catalogue); its rate changes with an effective date
 * (changeUnitTypeRate). A rename keeps the old code in `previous_codes`, where the lookups
 * still find it. Nothing to change is a no-op. Event unit_type.updated and the audit
 * entry in the same transaction.
 */
export async function updateUnitType(raw: UpdateUnitTypeInput, actor: Actor, options: ServiceOptions = {}): Promise<UpdateUnitTypeResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(UpdateUnitTypeInput, raw);
  return inTransaction(options, async (tx) => {
    const facility = await findFacility(tx, actor, input.facility_code);
    await tx.$queryRaw`SELECT id FROM facilities WHERE id = ${facility.id}::uuid FOR UPDATE`;
    const before = await findUnitType(tx, facility, input.unit_type_code);

    const changes: Record<string, unknown> = {};
    if (input.code !== undefined && input.code !== before.code) changes.code = input.code;
    if (input.name !== undefined && input.name !== before.name) changes.name = input.name;
    if (input.width_ft !== undefined && input.width_ft !== Number(before.widthFt)) changes.width_ft = input.width_ft;
    if (input.depth_ft !== undefined && input.depth_ft !== Number(before.depthFt)) changes.depth_ft = input.depth_ft;
    if (input.climate_controlled !== undefined && input.climate_controlled !== before.climateControlled) {
      changes.climate_controlled = input.climate_controlled;
    }
    if (input.features !== undefined && JSON.stringify(input.features) !== JSON.stringify(before.features)) changes.features = input.features;
    const changedFields = Object.keys(changes);
    if (!changedFields.length) return { changed: false, code: before.code, changedFields };

    if (input.code !== undefined && changes.code !== undefined) {
      const taken = await tx.unitType.findFirst({
        where: { facilityId: facility.id, id: { not: before.id }, OR: [{ code: input.code }, { previousCodes: { has: input.code } }] },
        select: { code: true },
      });
      if (taken) throw codeTaken("Unit type", input.code, "code", taken.code);
    }
    const widthFt = input.width_ft ?? Number(before.widthFt);
    const depthFt = input.depth_ft ?? Number(before.depthFt);
    const after = await tx.unitType.update({
      where: { id: before.id },
      data: {
        ...(changes.code !== undefined ? { code: input.code, previousCodes: [...before.previousCodes.filter((c) => c !== input.code), before.code] } : {}),
        ...(changes.name !== undefined ? { name: input.name } : {}),
        ...(changes.width_ft !== undefined || changes.depth_ft !== undefined ? { widthFt, depthFt, areaSqFt: areaOf(widthFt, depthFt) } : {}),
        ...(changes.climate_controlled !== undefined ? { climateControlled: input.climate_controlled } : {}),
        ...(changes.features !== undefined ? { features: input.features } : {}),
      },
    });
    const data = {
      ...unitTypeData(facility.code, after),
      changed_fields: changedFields,
      ...(changes.code !== undefined ? { previous_code: before.code } : {}),
    };
    await appendCatalogueEvent(tx, {
      type: "unit_type.updated",
      aggregateId: after.id,
      facilityId: facility.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data,
    });
    await writeAudit(tx, actor, {
      action: "unit_type.update",
      targetType: "unit_type",
      targetId: after.id,
      facilityId: facility.id,
      metadata: { ...data, before: unitTypeData(facility.code, before) },
      at: options.now,
    });
    return { changed: true, code: after.code, changedFields };
  });
}
