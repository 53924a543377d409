import { getDb } from "../../db";
import type { Actor } from "../shared/actor";
import { writeAudit } from "../shared/audit";

/**
 * Audits a change a scoped user (a site manager) attempted on something outside their
 * facilities — a forged call, since the console never offers it. The service answered
 * NOT_FOUND, as for a record that does not exist, and changed nothing; the audit trail
 * still records the attempt as DENIED (DESIGN.md §6: every mutation, allowed or denied,
 * is audited).
 */
export async function recordOutOfScopeAttempt(
  actor: Actor,
  attempt: { action: string; targetType: string; targetId: string },
): Promise<void> {
  await writeAudit(getDb(), actor, {
    action: attempt.action,
    targetType: attempt.targetType,
    targetId: attempt.targetId,
    result: "DENIED",
    reason: "Not found within the user's facilities.",
  });
}
