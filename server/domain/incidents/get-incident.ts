import { z } from "zod";
import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { inScope } from "@/server/domain/shared/facility-scope";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";
import { INCIDENT_LIST_SELECT } from "./list-incidents";

/** One incident with its timeline (oldest first); NOT_FOUND outside the actor's facilities. */

export const GetIncidentInput = z.object({ incidentId: z.string().regex(ID_PATTERN.inc, NOT_AN_ID.inc) }).strict();

export async function getIncident(actor: Actor, raw: z.input<typeof GetIncidentInput>) {
  const { incidentId } = parseOrRefuse(GetIncidentInput, raw);
  const incident = await getDb().incident.findFirst({
    where: { id: incidentId, ...inScope(actor) },
    select: {
      ...INCIDENT_LIST_SELECT,
      partnerId: true,
      timeline: { orderBy: { id: "asc" }, select: { id: true, at: true, kind: true, actorLabel: true, severity: true, note: true } },
    },
  });
  if (!incident) throw new DomainError("NOT_FOUND", `Incident ${incidentId} was not found.`);
  return { ...incident, timeline: incident.timeline.map((entry) => ({ ...entry, id: entry.id.toString() })) };
}
export type IncidentDetail = Awaited<ReturnType<typeof getIncident>>;
