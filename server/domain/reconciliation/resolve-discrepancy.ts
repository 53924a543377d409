import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { lockOpenDiscrepancy, NEXT_CLOSED_SEQ } from "./apply-correction";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * Acknowledging ("known, being handled elsewhere") or ignoring ("not drift we act on") an
 * open discrepancy: nothing in inventory changes, but it is audited with its note. Either
 * stays closed until the drift's state changes (run-reconciliation.ts).
 */

export const ResolveDiscrepancyInput = z
  .object({
    discrepancyId: z.uuid({ error: "Choose a discrepancy." }),
    resolution: z.enum(["ACKNOWLEDGED", "IGNORED"], { error: "Choose acknowledge or ignore." }),
    note: z.string().trim().max(500, "Keep the note under 500 characters.").default(""),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.resolution === "IGNORED" && input.note.length < 3) {
      ctx.addIssue({ code: "custom", path: ["note"], message: "Say why this drift is ignored." });
    }
  });
export type ResolveDiscrepancyInput = z.input<typeof ResolveDiscrepancyInput>;

export async function resolveDiscrepancy(
  raw: ResolveDiscrepancyInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<{ discrepancyId: string; status: "ACKNOWLEDGED" | "IGNORED" }> {
  await authorize(actor, "reconciliation.run", { target: { type: "discrepancy", id: raw.discrepancyId } });
  const input = parseOrRefuse(ResolveDiscrepancyInput, raw);
  return inTransaction(options, async (tx) => {
    const d = await lockOpenDiscrepancy(tx, input.discrepancyId, actor);
    const note = input.note.trim() || null;
    await tx.$executeRaw`
      UPDATE discrepancies SET status = ${input.resolution}::"DiscrepancyStatus", resolved_at = now(), closed_seq = ${NEXT_CLOSED_SEQ},
             resolution = ${note ?? (input.resolution === "ACKNOWLEDGED" ? "Acknowledged." : "Ignored.")},
             resolved_by_id = ${actor.type === "USER" ? actor.id : null}::uuid
      WHERE id = ${d.id}::uuid`;
    await writeAudit(tx, actor, {
      action: input.resolution === "ACKNOWLEDGED" ? "discrepancy.acknowledge" : "discrepancy.ignore",
      targetType: "discrepancy",
      targetId: d.id,
      facilityId: d.facility_id,
      reason: note,
      metadata: { kind: d.kind, expected: d.expected, actual: d.actual },
    });
    return { discrepancyId: d.id, status: input.resolution };
  });
}
