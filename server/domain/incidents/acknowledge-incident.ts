import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";
import { recordIncidentChanges } from "./incident-timeline";
import { lockIncident } from "./lock-incident";

/**
 * "Someone is on it": a TRIGGERED incident becomes ACKNOWLEDGED, with who and an optional
 * note on its timeline and in the audit log. The condition keeps being evaluated: it
 * still escalates, and resolves itself when it clears (docs/operations.md#alerts-and-incidents).
 */

export const AcknowledgeIncidentInput = z
  .object({
    incidentId: z.string().regex(ID_PATTERN.inc, NOT_AN_ID.inc),
    note: z.string().trim().max(1000, "Keep the note under 1,000 characters.").default(""),
  })
  .strict();
export type AcknowledgeIncidentInput = z.input<typeof AcknowledgeIncidentInput>;

export async function acknowledgeIncident(raw: AcknowledgeIncidentInput, actor: Actor, options: ServiceOptions = {}): Promise<{ incidentId: string; changed: boolean }> {
  const input = parseOrRefuse(AcknowledgeIncidentInput, raw);
  await authorize(actor, "incident.manage", { target: { type: "incident", id: input.incidentId } });
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const incident = await lockIncident(tx, input.incidentId, actor);
    if (incident.status === "ACKNOWLEDGED") return { incidentId: incident.id, changed: false };
    if (incident.status !== "TRIGGERED") {
      throw new DomainError("CONFLICT", "This incident is resolved already.", { current_status: incident.status, allowed_actions: ["note"] });
    }
    await tx.incident.update({
      where: { id: incident.id },
      data: { status: "ACKNOWLEDGED", acknowledgedAt: now, acknowledgedById: actor.type === "USER" ? actor.id : null },
    });
    await recordIncidentChanges(tx, actor, [
      { incidentId: incident.id, kind: "ACKNOWLEDGED", severity: incident.severity, note: input.note || null, facilityId: incident.facility_id, rule: incident.rule, at: now },
    ]);
    return { incidentId: incident.id, changed: true };
  });
}
