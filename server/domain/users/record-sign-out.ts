import { getDb } from "../../db";
import { writeAudit } from "@/server/domain/shared/audit";

const SIGN_OUT_ACTION = "auth.sign_out";

/** Audits a sign-out; the user id comes from the (verified) session token. */
export async function recordSignOut(userId: string, correlationId: string): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!user) return;
  await writeAudit(
    db,
    { type: "USER", id: user.id, label: user.email, scopes: [], correlationId },
    { action: SIGN_OUT_ACTION, targetType: "user", targetId: user.id, metadata: { email: user.email } },
  );
}
