import { getDb } from "../../db";
import type { Actor } from "../shared/actor";
import { facilitiesInScope } from "../shared/facility-scope";

/** Facilities (in scope) and partners to filter by. */
export async function listKpiFilters(actor: Actor) {
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

