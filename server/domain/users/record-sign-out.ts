import { getDb } from "../../db";

const SIGN_OUT_ACTION = "auth.sign_out";

/** Audits a sign-out; the user id comes from the (verified) session token. */
export async function recordSignOut(userId: string, correlationId: string): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
  if (!user) return;
  await db.auditEntry.create({
    data: {
      actorType: "USER",
      actorId: user.id,
      actorLabel: user.email,
      action: SIGN_OUT_ACTION,
      targetType: "user",
      targetId: user.id,
      result: "SUCCESS",
      correlationId,
      metadata: { email: user.email },
    },
  });
}
