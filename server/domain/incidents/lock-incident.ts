import { Prisma } from "@/server/generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import type { Tx } from "@/server/domain/shared/tx";
import type { IncidentStatus, Severity } from "@/shared/alert-rules";

export interface LockedIncident {
  id: string;
  rule: string;
  status: IncidentStatus;
  severity: Severity;
  facility_id: string | null;
}

/**
 * Locks one incident the actor may see (an incident outside a site manager's facilities,
 * or one with no facility, is NOT_FOUND, as everywhere: docs/conventions.md#authorization).
 */
export async function lockIncident(tx: Tx, id: string, actor: Actor): Promise<LockedIncident> {
  const rows = await tx.$queryRaw<LockedIncident[]>`
    SELECT id, rule, status::text AS status, severity::text AS severity, facility_id
    FROM incidents WHERE id = ${id} ${scopeSql(actor, Prisma.sql`facility_id`)} FOR UPDATE`;
  const incident = rows[0];
  if (!incident) throw new DomainError("NOT_FOUND", `Incident ${id} was not found.`);
  return incident;
}
