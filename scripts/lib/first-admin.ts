import { createPrismaClient } from "../../server/db";

/** What an operator runs to make the first admin (docs/operations.md#going-live). */
export const ADMIN_CREATE_COMMAND = 'npm run admin:create -- --email you@example.com --name "Your Name"';

export const NO_ADMIN_NOTICE =
  `No active admin can sign in yet: create the first one with ${ADMIN_CREATE_COMMAND} (docs/operations.md#going-live).`;

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
