import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";

export interface FacilityWithUnitTypes {
  id: string;
  code: string;
  name: string;
  timezone: string;
  currency: string;
  address: { line1: string; city: string; postalCode: string; country: string };
  accessHours: string;
  unitTypes: {
    code: string;
    name: string;
    widthFt: number;
    depthFt: number;
    areaSqFt: number;
    climateControlled: boolean;
    monthlyRateCents: number;
  }[];
}

/** Facilities and their unit types that the actor may see. */
export async function listFacilitiesWithUnitTypes(actor: Actor): Promise<FacilityWithUnitTypes[]> {
  const rows = await getDb().facility.findMany({
    where: facilitiesInScope(actor),
    orderBy: { code: "asc" },
    include: { unitTypes: { orderBy: { areaSqFt: "asc" } } },
  });
  return rows.map((f) => ({
    id: f.id,
    code: f.code,
    name: f.name,
    timezone: f.timezone,
    currency: f.currency,
    address: { line1: f.addressLine1, city: f.city, postalCode: f.postalCode, country: f.country },
    accessHours: f.accessHours,
    unitTypes: f.unitTypes.map((t) => ({
      code: t.code,
      name: t.name,
      widthFt: Number(t.widthFt),
      depthFt: Number(t.depthFt),
      areaSqFt: Number(t.areaSqFt),
      climateControlled: t.climateControlled,
      monthlyRateCents: t.monthlyRateCents,
    })),
  }));
}
