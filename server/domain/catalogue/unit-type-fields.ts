import { z } from "zod";
import type { UnitType } from "../../generated/prisma/client";

/** A unit type's editable fields (docs/domain.md#catalogue), shared by create and update. */
export const UnitTypeFields = {
  name: z.string().trim().min(1).max(120),
  width_ft: z.number().positive().max(1000).multipleOf(0.1),
  depth_ft: z.number().positive().max(1000).multipleOf(0.1),
  climate_controlled: z.boolean(),
  features: z.array(z.string().trim().min(1).max(60)).max(20),
};

export const MonthlyRateCents = z.number().int().min(0).max(100_000_000);

/** How events, audit and the API show a unit type. */
export function unitTypeData(
  facilityCode: string,
  t: Pick<UnitType, "code" | "name" | "widthFt" | "depthFt" | "areaSqFt" | "climateControlled" | "features" | "monthlyRateCents" | "previousCodes">,
) {
  return {
    facility_code: facilityCode,
    unit_type_code: t.code,
    name: t.name,
    width_ft: Number(t.widthFt),
    depth_ft: Number(t.depthFt),
    area_sq_ft: Number(t.areaSqFt),
    climate_controlled: t.climateControlled,
    features: t.features,
    monthly_rate_cents: t.monthlyRateCents,
    previous_codes: t.previousCodes,
  };
}

/** Width × depth, to one decimal place (the column's scale). */
export function areaOf(widthFt: number, depthFt: number): number {
  return Math.round(widthFt * depthFt * 10) / 10;
}
