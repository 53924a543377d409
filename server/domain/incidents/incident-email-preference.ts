import { z } from "zod";
import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { SEVERITIES, type Severity } from "@/shared/alert-rules";

/**
 * A console user's own opt-in to incident e-mail, from a severity up, or none
 * (docs/operations.md#incident-notifications). Only users who may read incidents opt in;
 * a site manager is told of their facilities' incidents only.
 */

export const SetIncidentEmailPreferenceInput = z
  .object({ minSeverity: z.enum([...SEVERITIES, "NONE"], { error: "Choose a severity or none." }) })
  .strict();
export type SetIncidentEmailPreferenceInput = z.input<typeof SetIncidentEmailPreferenceInput>;

export async function getIncidentEmailPreference(actor: Actor): Promise<{ minSeverity: Severity | null }> {
  if (actor.type !== "USER") return { minSeverity: null };
  const user = await getDb().user.findUnique({ where: { id: actor.id }, select: { incidentEmailMinSeverity: true } });
  return { minSeverity: user?.incidentEmailMinSeverity ?? null };
}

export async function setIncidentEmailPreference(
  raw: SetIncidentEmailPreferenceInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<{ minSeverity: Severity | null; changed: boolean }> {
  const input = parseOrRefuse(SetIncidentEmailPreferenceInput, raw);
  await authorize(actor, "incident.read", { target: { type: "user", id: actor.id } });
  if (actor.type !== "USER") throw new DomainError("FORBIDDEN", "Only console users receive incident e-mail.");
  const minSeverity = input.minSeverity === "NONE" ? null : input.minSeverity;
  return inTransaction(options, async (tx) => {
    const before = await tx.user.findUnique({ where: { id: actor.id }, select: { incidentEmailMinSeverity: true } });
    if ((before?.incidentEmailMinSeverity ?? null) === minSeverity) return { minSeverity, changed: false };
    await tx.user.update({ where: { id: actor.id }, data: { incidentEmailMinSeverity: minSeverity } });
    await writeAudit(tx, actor, {
      action: "user.incident_email",
      targetType: "user",
      targetId: actor.id,
      metadata: { from: before?.incidentEmailMinSeverity ?? null, to: minSeverity },
    });
    return { minSeverity, changed: true };
  });
}
