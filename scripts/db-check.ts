// npm run db:check — fails when prisma/migrations and schema.prisma disagree.
import { embeddedUrl } from "../server/database/embedded";
import { diffMigrationsToSchema, dropStaleShadowDatabases } from "../server/database/schema-engine";
import { runMain, scriptDatabase } from "./lib/cli";

runMain(async () => {
  const db = await scriptDatabase();
  const serverUrl = db.embedded ? embeddedUrl(Number(new URL(db.url).port), "postgres") : db.url;
  await dropStaleShadowDatabases(serverUrl);
  const sql = await diffMigrationsToSchema(serverUrl);
  await db.stop();
  if (sql) {
    console.error("✖ prisma/migrations does not match prisma/schema.prisma. The missing SQL is:\n");
    console.error(sql);
    console.error("\nRun npm run db:migrate:new -- <name> to write it as a migration.");
    process.exit(1);
  }
  console.log("✔ Migrations and schema.prisma agree.");
});
