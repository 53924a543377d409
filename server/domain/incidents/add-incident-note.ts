import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";
import { recordIncidentChanges } from "./incident-timeline";
import { lockIncident } from "./lock-incident";

/** A note on an incident's timeline (what was tried, who was called), audited like a state change. */

export const AddIncidentNoteInput = z
  .object({
    incidentId: z.string().regex(ID_PATTERN.inc, NOT_AN_ID.inc),
    note: z.string().trim().min(1, "Write the note.").max(1000, "Keep the note under 1,000 characters."),
  })
  .strict();
export type AddIncidentNoteInput = z.input<typeof AddIncidentNoteInput>;

export async function addIncidentNote(raw: AddIncidentNoteInput, actor: Actor, options: ServiceOptions = {}): Promise<{ incidentId: string; changed: true }> {
  const input = parseOrRefuse(AddIncidentNoteInput, raw);
  await authorize(actor, "incident.manage", { target: { type: "incident", id: input.incidentId } });
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const incident = await lockIncident(tx, input.incidentId, actor);
    await recordIncidentChanges(tx, actor, [
      { incidentId: incident.id, kind: "NOTE", severity: incident.severity, note: input.note, facilityId: incident.facility_id, rule: incident.rule, at: now },
    ]);
    return { incidentId: incident.id, changed: true };
  });
}
