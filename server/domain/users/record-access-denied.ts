import { getDb } from "../../db";
import type { Actor } from "../shared/actor";
import { writeAudit } from "../shared/audit";

/**
 * Audits a refused mutation (DESIGN.md §6: every mutation, allowed or denied, writes an
 * audit entry). Allowed ones are audited by their service, in their own transaction.
 */
export async function recordAccessDenied(
  actor: Actor,
  refusal: {
    action: string;
    permission: string;
    facilityId?: string | null;
    /** what the refused call was about (e.g. the booking it tried to cancel), for the reader of the log */
    target?: { type: string; id?: string | null } | null;
  },
): Promise<void> {
  await writeAudit(getDb(), actor, {
    action: refusal.action,
    targetType: "permission",
    targetId: refusal.permission,
    facilityId: refusal.facilityId ?? null,
    result: "DENIED",
    reason: `Missing permission ${refusal.permission}`,
    metadata: refusal.target ? { attempted_target: { type: refusal.target.type, id: refusal.target.id ?? null } } : undefined,
  });
}
