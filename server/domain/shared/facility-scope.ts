import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "./actor";

/**
 * The actor's facility scope, added to a query in one way (docs/conventions.md#authorization):
 * a site manager sees their own facilities, an API key its facility limits, everyone else
 * every facility. A record outside the scope is simply not found.
 */

/** For a model with a `facilityId` column: `where: { ...inScope(actor), … }`. */
export function inScope(actor: Actor): { facilityId?: { in: string[] } } {
  return actor.facilityIds === null ? {} : { facilityId: { in: [...actor.facilityIds] } };
}

/** For the Facility model itself: `where: { ...facilitiesInScope(actor), … }`. */
export function facilitiesInScope(actor: Actor): { id?: { in: string[] } } {
  return actor.facilityIds === null ? {} : { id: { in: [...actor.facilityIds] } };
}

/** For SQL: `WHERE … ${scopeSql(actor, Prisma.sql\`b.facility_id\`)}` adds `AND <column> = ANY(…)` or nothing. */
export function scopeSql(actor: Actor, column: Prisma.Sql): Prisma.Sql {
  return actor.facilityIds === null ? Prisma.empty : Prisma.sql`AND ${column} = ANY(${[...actor.facilityIds]}::uuid[])`;
}
