// npm run db:backup -- [DIR] — a consistent logical backup of the database (DATABASE_URL,
// or the embedded one) into DIR, by default backups/holdfast-<time> (docs/operations.md#backups).
import path from "node:path";
import { assertReachable } from "../server/database/embedded";
import { backupDatabase } from "../server/database/backup";
import { runMain, scriptDatabase } from "./lib/cli";

runMain(async () => {
  const dir = path.resolve(process.argv[2] ?? path.join("backups", `holdfast-${new Date().toISOString().replace(/[:.]/g, "-")}`));
  const db = await scriptDatabase();
  try {
    await assertReachable(db.url);
    const started = Date.now();
    const manifest = await backupDatabase(db.url, dir, (p) => process.stdout.write(`\r  ${p.done}/${p.of} tables · ${p.table} (${p.rows.toLocaleString("en")} rows)`.padEnd(80)));
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(`\n✔ Backed up ${manifest.tables.length} tables, ${rows.toLocaleString("en")} rows, in ${((Date.now() - started) / 1000).toFixed(1)} s to ${dir}`);
    console.log(`  Restore into a new, empty database with: npm run db:restore -- ${dir} --database <new name>`);
  } finally {
    await db.stop();
  }
});
