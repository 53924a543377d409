import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEndpoint } from "../../test/delivery-factory";
import { createFacilityWithPool, createPartner, holdInput, useOwnDatabase, type TestPartner, type TestPool } from "../../test/factories";
import { disconnectDb, getDb } from "../db";
import { cancelBooking } from "../domain/bookings/cancel-booking";
import { confirmBooking } from "../domain/bookings/confirm-booking";
import { createHold } from "../domain/bookings/create-hold";
import { requeueReceivedPaymentEvents } from "../domain/ops/requeue-received-payment-events";
import { runReconciliation } from "../domain/reconciliation/run-reconciliation";
import { closeAsyncCommitPool } from "../domain/shared/async-commit-db";
import { fanOutEvents } from "../domain/webhooks/delivery/fan-out-events";
import { backupDatabase, readManifest, restoreDatabase } from "./backup";
import { installWorkerSchema } from "../worker/worker-schema";
import { ensureDatabaseExists } from "./embedded";

/**
 * npm run db:backup / db:restore (docs/operations.md#backups) on real PostgreSQL: a
 * database with bookings, events, deliveries and audit is backed up, restored into a
 * fresh database, found identical table by table, passes reconciliation, and goes on
 * fanning out the events written after the restore.
 */

let dropSource: () => Promise<void>;
let sourceUrl: string;
let targetUrl: string;
let targetName: string;
let pool: TestPool;
let partner: TestPartner;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-backup-"));

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Points the app's connections at another database. */
async function useDatabase(url: string) {
  await disconnectDb();
  await closeAsyncCommitPool();
  process.env.DATABASE_URL = url;
}

/** Every row of a table, as text, in a stable order; `drop` leaves out columns a restore renumbers. */
async function digest(url: string, table: string, drop: string[] = []): Promise<string> {
  return withClient(url, async (c) => {
    const row = drop.length ? `(to_jsonb(t) - ARRAY[${drop.map((d) => `'${d}'`).join(", ")}]::text[])::text` : "t::text";
    const { rows } = await c.query<{ d: string | null; n: number }>(`SELECT md5(string_agg(${row}, '|' ORDER BY ${row})) AS d, count(*)::int AS n FROM "${table}" t`);
    return `${rows[0]!.n}:${rows[0]!.d}`;
  });
}

beforeAll(async () => {
  dropSource = await useOwnDatabase("backup_source");
  sourceUrl = process.env.DATABASE_URL!;
  pool = await createFacilityWithPool({ units: 6 });
  partner = await createPartner();
  await createTestEndpoint(partner.id, { url: "https://partner.example/hooks" });
  const holds = [];
  for (let i = 0; i < 4; i++) holds.push(await createHold(holdInput(pool, { customer: { name: `Customer ${i}`, email: `c${i}@example.com` } }), partner.actor));
  await confirmBooking(holds[0]!.reference, partner.actor);
  await cancelBooking(holds[1]!.reference, { reason: "changed plans" }, partner.actor);
  await fanOutEvents();
  // a payment event received but not applied yet: its job lives in the worker's queue, which no backup holds
  await getDb().inboundWebhookEvent.create({ data: { id: `iwe_backup_${crypto.randomUUID()}`, source: "payments", status: "RECEIVED", rawBody: "{}" } });
  // The server the backup is restored on need not have transaction ids above the backup's:
  // here the source's events look as if written a trillion transactions from now.
  await getDb().$executeRaw`UPDATE events SET txid = txid + 1000000000000`;
  await getDb().$executeRaw`UPDATE webhook_fanout_cursor SET last_txid = last_txid + 1000000000000`;
  const target = new URL(sourceUrl);
  targetName = `holdfast_restored_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = new URL(sourceUrl);
  admin.pathname = "/postgres";
  await ensureDatabaseExists(admin.toString(), targetName);
  target.pathname = `/${targetName}`;
  targetUrl = target.toString();
}, 180_000);

afterAll(async () => {
  await useDatabase(sourceUrl);
  const admin = new URL(sourceUrl);
  admin.pathname = "/postgres";
  await withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS "${targetName}" WITH (FORCE)`)).catch(() => undefined);
  await closeAsyncCommitPool();
  await dropSource?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("backup and restore", () => {
  it("restores every table as it was backed up, passes reconciliation, and fans out what comes after", async () => {
    const manifest = await backupDatabase(sourceUrl, path.join(dir, "one"));
    expect(readManifest(path.join(dir, "one")).tables.length).toBe(manifest.tables.length);
    const counts = Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]));
    expect(counts.bookings).toBe(4);
    expect(counts.events).toBeGreaterThan(4);
    expect(counts.webhook_deliveries).toBeGreaterThan(0);
    expect(counts.audit_entries).toBeGreaterThan(0);

    // a backup never overwrites another
    await expect(backupDatabase(sourceUrl, path.join(dir, "one"))).rejects.toThrow(/already holds a backup/);

    const restored = await restoreDatabase(targetUrl, path.join(dir, "one"));
    expect(restored.rows).toBe(manifest.tables.reduce((sum, t) => sum + t.rows, 0));
    for (const table of manifest.tables) {
      const drop = table.name === "events" ? ["txid"] : table.name === "webhook_fanout_cursor" ? ["last_txid", "updated_at"] : [];
      expect(await digest(targetUrl, table.name, drop), table.name).toBe(await digest(sourceUrl, table.name, drop));
    }

    // the restored database is whole: reconciliation finds nothing
    await useDatabase(targetUrl);
    const run = await runReconciliation();
    expect(run).toMatchObject({ status: "SUCCEEDED", discrepancyCount: 0 });

    // the payment event not yet applied gets its job again (what npm run db:restore does)
    await installWorkerSchema(targetUrl);
    expect(await requeueReceivedPaymentEvents()).toBe(1);
    const [jobs] = await getDb().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'apply_payment_event'`;
    expect(jobs!.n).toBe(1);

    // and the outbox goes on: an event written after the restore is fanned out to the endpoint
    const after = await createHold(holdInput(pool), partner.actor);
    await fanOutEvents();
    const held = await getDb().event.findFirstOrThrow({ where: { type: "booking.held", data: { path: ["reference"], equals: after.reference } } });
    expect(await getDb().webhookDelivery.count({ where: { eventId: held.id } })).toBe(1);
    // sequences moved past the restored rows: new rows did not collide
    expect(await getDb().event.count()).toBeGreaterThan(counts.events!);
  });

  it("refuses a database that is not empty, and a backup of another version, changing nothing", async () => {
    await useDatabase(sourceUrl);
    const before = await digest(sourceUrl, "bookings");
    await expect(restoreDatabase(sourceUrl, path.join(dir, "one"))).rejects.toThrow(/not empty/);
    expect(await digest(sourceUrl, "bookings")).toBe(before);

    const other = path.join(dir, "other");
    fs.cpSync(path.join(dir, "one"), other, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(other, "manifest.json"), "utf8"));
    manifest.migrations.push("29991231000000_from_the_future");
    fs.writeFileSync(path.join(other, "manifest.json"), JSON.stringify(manifest));
    const fresh = new URL(sourceUrl);
    fresh.pathname = "/postgres";
    const name = `holdfast_refused_${process.pid}`;
    await ensureDatabaseExists(fresh.toString(), name);
    const url = new URL(sourceUrl);
    url.pathname = `/${name}`;
    try {
      await expect(restoreDatabase(url.toString(), other)).rejects.toThrow(/another Holdfast version/);
      const tables = await withClient(url.toString(), (c) => c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`));
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await withClient(fresh.toString(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
    // a directory without its manifest is no backup
    fs.rmSync(path.join(other, "manifest.json"));
    expect(() => readManifest(other)).toThrow(/no finished backup/);
  });
});
