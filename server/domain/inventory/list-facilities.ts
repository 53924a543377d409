import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import { dayAt } from "../catalogue/catalogue-codes";
import { rateOn } from "../catalogue/current-rate";

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

/** Facilities and their unit types that the actor may see, each with the rate in force today (docs/domain.md#rates). */
export async function listFacilitiesWithUnitTypes(actor: Actor, now = new Date()): Promise<FacilityWithUnitTypes[]> {
  const rows = await getDb().facility.findMany({
    where: facilitiesInScope(actor),
    orderBy: { code: "asc" },
    include: { unitTypes: { orderBy: { areaSqFt: "asc" }, include: { rates: { select: { effectiveFrom: true, monthlyRateCents: true } } } } },
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
      monthlyRateCents: rateOn(
        dayAt(f.timezone, now),
        t.monthlyRateCents,
        t.rates.map((r) => ({ effectiveFrom: r.effectiveFrom.toISOString().slice(0, 10), monthlyRateCents: r.monthlyRateCents })),
      ).current,
    })),
  }));
}
