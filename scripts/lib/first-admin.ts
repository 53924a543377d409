import { createPrismaClient } from "../../server/db";
import { NO_ADMIN_NOTICE } from "./first-admin-notice";

/**
 * The one sentence a production start prints while nobody could administer the console
 * (no ADMIN user, or only disabled ones), else null. A new installation starts empty, and
 * this is how its operator learns the next step.
 */
export async function firstAdminNotice(databaseUrl: string): Promise<string | null> {
  const db = createPrismaClient(databaseUrl, 1);
  try {
    const admins = await db.user.count({ where: { role: "ADMIN", active: true } });
    return admins ? null : NO_ADMIN_NOTICE;
  } finally {
    await db.$disconnect();
  }
}
