import { z } from "zod";
import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { catalogueFacilitySelect, toCatalogueFacility, type CatalogueFacility } from "./catalogue-view";

export const GetCatalogueFacilityInput = z.object({ facility_code: z.string().trim().min(1).max(32) }).strict();
export type GetCatalogueFacilityInput = z.input<typeof GetCatalogueFacilityInput>;

/**
 * One facility by its code or one it had before a rename (docs/domain.md#catalogue), with
 * its unit types, rates and pool counters; NOT_FOUND outside the actor's facilities.
 */
export async function getCatalogueFacility(actor: Actor, raw: GetCatalogueFacilityInput, now = new Date()): Promise<CatalogueFacility> {
  const input = parseOrRefuse(GetCatalogueFacilityInput, raw);
  const code = input.facility_code;
  const rows = await getDb().facility.findMany({
    where: { OR: [{ code }, { previousCodes: { has: code } }], ...facilitiesInScope(actor) },
    select: catalogueFacilitySelect,
    take: 1,
  });
  if (!rows[0]) throw new DomainError("NOT_FOUND", `Facility ${code} was not found.`);
  return toCatalogueFacility(rows[0], now);
}
