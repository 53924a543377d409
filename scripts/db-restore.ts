// npm run db:restore -- DIR [--database NAME] — restores a backup made by npm run db:backup
// into an empty database: DATABASE_URL's (or the embedded default), or NAME on the same
// server, created if missing (docs/operations.md#backups).
import { configure } from "../server/config";
import { assertReachable, ensureDatabaseExists } from "../server/database/embedded";
import { restoreDatabase } from "../server/database/backup";
import { installWorkerSchema } from "../server/worker/worker-schema";
import { runMain, scriptDatabase } from "./lib/cli";

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

runMain(async () => {
  const dir = process.argv[2];
  if (!dir || dir.startsWith("--")) throw new Error("Name the backup to restore: npm run db:restore -- backups/holdfast-… [--database new_name]");
  const name = argument("--database");
  if (name !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error("--database takes a plain name: lower-case letters, digits and _.");
  const db = await scriptDatabase();
  try {
    await assertReachable(db.url);
    let url = db.url;
    if (name) {
      const target = new URL(db.url);
      const admin = new URL(db.url);
      admin.pathname = "/postgres";
      await ensureDatabaseExists(admin.toString(), name);
      target.pathname = `/${name}`;
      url = target.toString();
    }
    const started = Date.now();
    const result = await restoreDatabase(url, dir, (p) => process.stdout.write(`\r  ${p.done}/${p.of} tables · ${p.table}`.padEnd(80)));
    console.log(`\n✔ Restored ${result.tables} tables, ${result.rows.toLocaleString("en")} rows, in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    // the worker's queue is not in a backup: payment events not yet applied get their job again
    await installWorkerSchema(url);
    configure({ DATABASE_URL: url });
    const { requeueReceivedPaymentEvents } = await import("../server/domain/ops/requeue-received-payment-events");
    const { disconnectDb } = await import("../server/db");
    const requeued = await requeueReceivedPaymentEvents();
    await disconnectDb();
    if (requeued) console.log(`  ${requeued} payment event(s) not yet applied are queued to be applied again.`);
    if (name) console.log(`  Point DATABASE_URL at the ${name} database, start Holdfast, and run a reconciliation from /drift.`);
    else console.log("  Start Holdfast and run a reconciliation from /drift.");
  } finally {
    await db.stop();
  }
});
