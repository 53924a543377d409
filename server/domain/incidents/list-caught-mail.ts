import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";

/** The demo mail catcher's newest mail (/admin/mail), for admins. */
export async function listCaughtMail(actor: Actor, limit = 100) {
  await authorize(actor, "admin.manage", { target: { type: "caught_mail", id: null } });
  return getDb().caughtMail.findMany({ orderBy: { sentAt: "desc" }, take: limit });
}
