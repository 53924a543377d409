import { z } from "zod";
import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { inScope } from "@/server/domain/shared/facility-scope";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ALERT_RULE_NAMES, SEVERITIES, severityRank } from "@/shared/alert-rules";
import type { Prisma } from "@/server/generated/prisma/client";

/**
 * The incidents the actor may see (a site manager: their facilities' only), newest
 * first, filtered as the /incidents URL says. "open" (the default) is TRIGGERED and
 * ACKNOWLEDGED together.
 */

export const ListIncidentsInput = z
  .object({
    status: z.enum(["open", "TRIGGERED", "ACKNOWLEDGED", "RESOLVED", "all"]).default("open"),
    severity: z.enum(SEVERITIES).optional(),
    rule: z.enum(ALERT_RULE_NAMES as [string, ...string[]]).optional(),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .strict();
export type ListIncidentsInput = z.input<typeof ListIncidentsInput>;

export const INCIDENT_LIST_SELECT = {
  id: true,
  rule: true,
  subjectType: true,
  subjectId: true,
  subjectLabel: true,
  facilityId: true,
  severity: true,
  status: true,
  summary: true,
  detail: true,
  openedAt: true,
  lastSeenAt: true,
  acknowledgedAt: true,
  resolvedAt: true,
  reopenCount: true,
} as const satisfies Prisma.IncidentSelect;

export type IncidentListRow = Prisma.IncidentGetPayload<{ select: typeof INCIDENT_LIST_SELECT }>;

export async function listIncidents(actor: Actor, raw: ListIncidentsInput = {}): Promise<{ incidents: IncidentListRow[]; truncated: boolean }> {
  const input = parseOrRefuse(ListIncidentsInput, raw);
  const where: Prisma.IncidentWhereInput = {
    ...inScope(actor),
    ...(input.status === "open" ? { status: { not: "RESOLVED" } } : input.status === "all" ? {} : { status: input.status }),
    ...(input.severity ? { severity: input.severity } : {}),
    ...(input.rule ? { rule: input.rule } : {}),
  };
  const rows = await getDb().incident.findMany({ where, select: INCIDENT_LIST_SELECT, orderBy: [{ openedAt: "desc" }, { id: "desc" }], take: input.limit + 1 });
  const incidents = rows.slice(0, input.limit);
  // The open ones in front, the most severe first; the rest by when they opened.
  incidents.sort((a, b) => Number(a.status === "RESOLVED") - Number(b.status === "RESOLVED") || severityRank(b.severity) - severityRank(a.severity) || b.openedAt.getTime() - a.openedAt.getTime());
  return { incidents, truncated: rows.length > input.limit };
}
