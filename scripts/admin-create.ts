// npm run admin:create -- --email you@example.com --name "Your Name" [--password-stdin]
// npm run admin:create -- --email you@example.com --reset-password [--password-stdin]
// The first admin of a new installation, or another one later (docs/operations.md#going-live):
// a console user with the ADMIN role, made by the same domain service as the console's
// user form (createUser, with its password rule and its audit entry), acting as the system
// actor. The database is the one npm start would use: DATABASE_URL, or the embedded one.
// --reset-password gives an existing user (an admin locked out) a new password instead
// (resetUserPassword). The database must be migrated (npm run db:migrate); this command
// changes no schema.
import { parseArgs } from "node:util";
import { z } from "zod";
import { appBaseUrl, config, configure } from "../server/config";
import { assertReachable, DatabaseStartupError } from "../server/database/embedded";
import { pendingMigrations } from "../server/database/migrate";
import { disconnectDb } from "../server/db";
import { createUser, CreateUserInput } from "../server/domain/admin/manage-users";
import { resetUserPassword } from "../server/domain/admin/reset-user-password";
import { systemActor } from "../server/domain/shared/actor";
import { parseOrRefuse } from "../server/domain/shared/validation";
import { newCorrelationId } from "../server/observability/correlation";
import { runMain, scriptDatabase } from "./lib/cli";
import { readNewPassword } from "./lib/read-password";

const USAGE = 'usage: npm run admin:create -- --email you@example.com (--name "Your Name" | --reset-password) [--password-stdin]';

/** The e-mail and name, checked by the service's own field rules before a password is asked for. */
const Identity = z.object({ email: CreateUserInput.shape.email, name: CreateUserInput.shape.name.optional() });

function parseCommandLine() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        "reset-password": { type: "boolean", default: false },
        "password-stdin": { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (${USAGE})`, { cause: error });
  }
  const { email, name } = parsed.values;
  const reset = parsed.values["reset-password"] ?? false;
  if (!email) throw new Error(`--email is required (${USAGE})`);
  if (reset && name) throw new Error(`--reset-password changes only the password: leave out --name (${USAGE})`);
  if (!reset && !name) throw new Error(`--name is required to create an admin (${USAGE})`);
  return { email, name, reset, passwordStdin: parsed.values["password-stdin"] ?? false };
}

runMain(async () => {
  const args = parseCommandLine();
  const identity = parseOrRefuse(Identity, { email: args.email, name: args.name });

  const database = await scriptDatabase();
  try {
    await assertReachable(database.url);
    const pending = await pendingMigrations(database.url);
    if (pending.length) {
      throw new DatabaseStartupError(
        `The database is missing ${pending.length} migration(s) (first: ${pending[0]}); run npm run db:migrate first, then this command again.`,
      );
    }
    // The domain's pools connect where this command resolved the database.
    configure({ DATABASE_URL: database.url });

    const password = await readNewPassword({ fromStdin: args.passwordStdin });
    const actor = systemActor("admin:create", newCorrelationId());
    if (args.reset) {
      const user = await resetUserPassword({ email: identity.email, password }, actor);
      console.log(`✔ New password set for ${user.email}; their sessions are ended. Sign in at ${appBaseUrl(config())}/login`);
    } else {
      const user = await createUser({ email: identity.email, name: identity.name ?? "", role: "ADMIN", password }, actor);
      console.log(`✔ Created the admin ${user.email}. Sign in at ${appBaseUrl(config())}/login`);
    }
  } finally {
    await disconnectDb();
    await database.stop();
  }
});
