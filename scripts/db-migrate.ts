// npm run db:migrate — apply pending migrations (what `prisma migrate deploy` does).
import { assertReachable } from "../server/database/embedded";
import { applyMigrations } from "../server/database/migrate";
import { runMain, scriptDatabase } from "./lib/cli";

runMain(async () => {
  const db = await scriptDatabase();
  await assertReachable(db.url);
  const result = await applyMigrations(db.url, { log: (line) => console.log(line) });
  console.log(
    result.applied.length
      ? `✔ ${result.applied.length} migration(s) applied; ${result.alreadyApplied} were already applied.`
      : `✔ Database is up to date (${result.alreadyApplied} migrations).`,
  );
  await db.stop();
});
