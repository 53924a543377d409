import { getDb } from "../../db";
import type { Actor } from "./actor";
import { facilitiesInScope } from "./facility-scope";

export interface FilterOptions {
  facilities: { code: string; name: string; timezone: string }[];
  partners: { code: string; name: string }[];
}

/**
 * What the console's filter menus offer (bookings, KPIs): the facilities the actor may
 * see, and every partner.
 */
export async function listFilterOptions(actor: Actor): Promise<FilterOptions> {
  const db = getDb();
  const [facilities, partners] = await Promise.all([
    db.facility.findMany({
      where: facilitiesInScope(actor),
      select: { code: true, name: true, timezone: true },
      orderBy: { code: "asc" },
    }),
    db.partner.findMany({ select: { code: true, name: true }, orderBy: { code: "asc" } }),
  ]);
  return { facilities, partners };
}
