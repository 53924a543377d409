import { getDb } from "../../db";
import type { Actor } from "../shared/actor";

/** Facilities (in scope) and partners to filter by. */
export async function listKpiFilters(actor: Actor) {
  const db = getDb();
  const [facilities, partners] = await Promise.all([
    db.facility.findMany({
      where: actor.facilityIds === null ? {} : { id: { in: [...actor.facilityIds] } },
      select: { code: true, name: true, timezone: true },
      orderBy: { code: "asc" },
    }),
    db.partner.findMany({ select: { code: true, name: true }, orderBy: { code: "asc" } }),
  ]);
  return { facilities, partners };
}

