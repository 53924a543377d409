import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";
import { recordIncidentChanges } from "./incident-timeline";
import { lockIncident } from "./lock-incident";

/**
 * Resolving by hand ("fixed"). Should the condition still hold at the next evaluation,
 * the incident is reopened, not duplicated (evaluate-alerts.ts), so a premature
 * resolution shows on its timeline (docs/operations.md#alerts-and-incidents).
 */

export const ResolveIncidentInput = z
  .object({
    incidentId: z.string().regex(ID_PATTERN.inc, NOT_AN_ID.inc),
    note: z.string().trim().max(1000, "Keep the note under 1,000 characters.").default(""),
  })
  .strict();
export type ResolveIncidentInput = z.input<typeof ResolveIncidentInput>;

export async function resolveIncident(raw: ResolveIncidentInput, actor: Actor, options: ServiceOptions = {}): Promise<{ incidentId: string; changed: boolean }> {
  const input = parseOrRefuse(ResolveIncidentInput, raw);
  await authorize(actor, "incident.manage", { target: { type: "incident", id: input.incidentId } });
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const incident = await lockIncident(tx, input.incidentId, actor);
    if (incident.status === "RESOLVED") return { incidentId: incident.id, changed: false };
    await tx.incident.update({ where: { id: incident.id }, data: { status: "RESOLVED", resolvedAt: now } });
    await recordIncidentChanges(tx, actor, [
      { incidentId: incident.id, kind: "RESOLVED", severity: incident.severity, note: input.note || null, facilityId: incident.facility_id, rule: incident.rule, at: now, metadata: { automatic: false } },
    ]);
    return { incidentId: incident.id, changed: true };
  });
}
