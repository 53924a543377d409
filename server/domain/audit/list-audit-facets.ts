import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { auditWhere } from "./list-audit-entries";

/**
 * The distinct values of one column among the entries the actor may see, by a skip scan
 * over the column's index (one index probe per distinct value, not a pass over the
 * whole append-only table).
 */
function distinctValues(column: "action" | "target_type", scope: Prisma.Sql): Prisma.Sql {
  const col = Prisma.raw(`a.${column}`);
  return Prisma.sql`
    WITH RECURSIVE found(value) AS (
      (SELECT ${col} FROM audit_entries a WHERE ${scope} ORDER BY ${col} LIMIT 1)
      UNION ALL
      SELECT (SELECT ${col} FROM audit_entries a WHERE ${scope} AND ${col} > found.value ORDER BY ${col} LIMIT 1)
        FROM found WHERE found.value IS NOT NULL
    )
    SELECT value FROM found WHERE value IS NOT NULL`;
}

/** The actions and target types recorded (within the actor's scope), for the filter's choices. */
export async function listAuditFacets(actor: Actor): Promise<{ actions: string[]; targetTypes: string[] }> {
  const scope = auditWhere({}, actor);
  const [actions, targetTypes] = await Promise.all([
    getDb().$queryRaw<{ value: string }[]>(distinctValues("action", scope)),
    getDb().$queryRaw<{ value: string }[]>(distinctValues("target_type", scope)),
  ]);
  return { actions: actions.map((r) => r.value), targetTypes: targetTypes.map((r) => r.value) };
}
