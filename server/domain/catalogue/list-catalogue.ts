import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import { catalogueFacilitySelect, toCatalogueFacility, type CatalogueFacility } from "./catalogue-view";

/**
 * Every facility the actor may see (a site manager: their own), with its unit types, rates
 * and pool counters: the console's catalogue screen (docs/domain.md#catalogue), whose units
 * are paged apart (docs/performance.md#catalogue).
 */
export async function listCatalogue(actor: Actor, now = new Date()): Promise<CatalogueFacility[]> {
  const rows = await getDb().facility.findMany({ where: facilitiesInScope(actor), orderBy: { code: "asc" }, select: catalogueFacilitySelect });
  return rows.map((row) => toCatalogueFacility(row, now));
}
