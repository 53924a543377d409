/**
 * What a production start says while nobody can administer the console
 * (docs/operations.md#going-live). Apart from the check (first-admin.ts) so the e2e specs,
 * which cannot load the Prisma client, can assert on the words.
 */

/** What an operator runs to make the first admin. */
export const ADMIN_CREATE_COMMAND = 'npm run admin:create -- --email you@example.com --name "Your Name"';

export const NO_ADMIN_NOTICE =
  `No active admin can sign in yet: create the first one with ${ADMIN_CREATE_COMMAND} (docs/operations.md#going-live).`;
