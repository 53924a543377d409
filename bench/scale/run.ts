// bench/scale — every console read path at a real operator's size (issue #12), through the
// real domain services the tRPC routers call, each p50/p95 printed against its goal.
//
//   npm run bench:scale -- [--bookings 1000000] [--runs 30] [--reuse] [--keep] [--no-pages | --pages-only]
//
// Then the full reconciliation (every check; goal < 10 s at 100k units), and — on the
// production build (npm run build), unless --no-pages — the time to first byte of every
// console page, signed in, through `next start` on PORT (bench/scale/ttfb.ts).
//
// Generates the database with bench/scale/generate.ts (embedded PostgreSQL on BENCH_PG_PORT,
// or the server behind DATABASE_URL) into `holdfast_scale_<bookings>`. --reuse measures an
// existing database of that size (pending migrations are applied first, and timed), --keep
// leaves it for the next run.
import { pathToFileURL } from "node:url";
import pg from "pg";
import { embeddedUrl, ensureDatabaseExists, startEmbedded } from "../../server/database/embedded";
import { applyMigrations } from "../../server/database/migrate";
import { installWorkerSchema } from "../../server/worker/worker-schema";
import { percentile } from "../lib";
import { generateScaleData, shapeFor } from "./generate";
import { measureConsolePages } from "./ttfb";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

interface Path {
  name: string;
  goalMs: number;
  /** calls measured (default: --runs) */
  runs?: number;
  /** the i-th call (inputs vary over the samples) */
  call: (i: number, prepared?: unknown) => Promise<unknown>;
  /** work before the i-th call that is not part of it (what the console already has), untimed */
  prepare?: (i: number) => Promise<unknown>;
}

async function main(): Promise<void> {
  const bookings = Number(arg("bookings") ?? process.env.BENCH_BOOKINGS ?? 1_000_000);
  const runs = Number(arg("runs") ?? 30);
  const shape = shapeFor(bookings);
  let adminUrl: string;
  let stopServer = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const port = Number(process.env.BENCH_PG_PORT ?? 54381);
    const server = await startEmbedded({ dataDir: `.data/bench-pg-${port}`, port, database: "postgres", log: process.env.BENCH_PG_LOG ? (line) => console.error(`[pg] ${line}`) : undefined });
    adminUrl = embeddedUrl(port, "postgres");
    stopServer = server.stop;
  }
  const database = `holdfast_scale_${bookings}`;
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [database])).rowCount === 1;
  try {
    if (!(flag("reuse") && exists)) {
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await ensureDatabaseExists(adminUrl, database);
      await applyMigrations(url.toString());
      await installWorkerSchema(url.toString());
      await admin.query(`ALTER SYSTEM SET max_wal_size = '8GB'`);
      await admin.query(`SELECT pg_reload_conf()`);
      console.log(`generating ${bookings.toLocaleString("en")} bookings (${JSON.stringify(shape)}) into ${database}`);
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const started = performance.now();
      const { counts } = await generateScaleData(client, shape, (line) => console.log(line));
      await client.end();
      const minutes = (performance.now() - started) / 60_000;
      const size = (await admin.query<{ s: string }>(`SELECT pg_size_pretty(pg_database_size($1)) AS s`, [database])).rows[0]!.s;
      console.log(`generated in ${minutes.toFixed(1)} min (goal < 15 min at 1M bookings), ${size}:`);
      console.log(`  ${Object.entries(counts).map(([k, v]) => `${k} ${v.toLocaleString("en")}`).join(" · ")}`);
    } else {
      const started = performance.now();
      await applyMigrations(url.toString());
      console.log(`reusing ${database}; pending migrations applied in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    if (!flag("pages-only")) await measure(url.toString(), runs);
    if (!flag("no-pages")) await measureConsolePages(url.toString(), runs, (line) => console.log(line));
  } finally {
    if (!flag("keep")) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
    await stopServer();
  }
}

async function measure(databaseUrl: string, runs: number): Promise<void> {
  process.env.DATABASE_URL = databaseUrl;
  process.env.LOG_LEVEL = "silent";
  const { getDb, disconnectDb } = await import("../../server/db");
  const { actorForUser } = await import("../../server/domain/shared/actor");
  const { searchBookings } = await import("../../server/domain/bookings/search-bookings");
  const { listEndpointsWithHealth } = await import("../../server/domain/webhooks/endpoints/endpoint-health-view");
  const { listDeliveries, countDeliveries } = await import("../../server/domain/webhooks/delivery/list-deliveries");
  const { listAuditEntries, ListAuditEntriesInput } = await import("../../server/domain/audit/list-audit-entries");
  const { getFacilityBoard } = await import("../../server/domain/inventory/facility-board");
  const { listCatalogue } = await import("../../server/domain/catalogue/list-catalogue");
  const { runReconciliation } = await import("../../server/domain/reconciliation/run-reconciliation");
  const db = getDb();

  const users = await db.user.findMany({ where: { email: { in: ["admin@holdfast.test", "manager0@holdfast.test"] } }, include: { facilities: true } });
  const actorOf = (email: string) => {
    const user = users.find((u) => u.email === email)!;
    return actorForUser({ id: user.id, email: user.email, role: user.role, facilityIds: user.facilities.map((f) => f.facilityId) }, { correlationId: "bench-scale" });
  };
  const adminActor = actorOf("admin@holdfast.test");
  const manager = actorOf("manager0@holdfast.test");

  // Samples: bookings picked evenly over the table (a different one per call).
  const samples = await db.$queryRaw<
    { reference: string; partner_booking_reference: string; unit_code: string; customer_email: string; customer_name: string; correlation_id: string; idempotency_key: string }[]
  >`
    SELECT b.reference, b.partner_booking_reference, u.code AS unit_code, b.customer_email, b.customer_name, b.correlation_id, b.idempotency_key
    FROM bookings b TABLESAMPLE SYSTEM (5) JOIN units u ON u.id = b.unit_id LIMIT ${runs}`;
  const facilities = await db.facility.findMany({ select: { id: true, code: true }, orderBy: { code: "asc" } });
  const managerFacility = facilities.find((f) => manager.facilityIds?.includes(f.id))!.code;
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
  const search = (q: string) => searchBookings({ filter: { q } }, adminActor);
  const audit = (filter: Record<string, unknown>, actor = adminActor) => listAuditEntries(actor, ListAuditEntriesInput.parse({ filter }));

  const paths: Path[] = [
    { name: "booking search: reference", goalMs: 50, call: (i) => search(pick(samples, i).reference) },
    { name: "booking search: partner ref", goalMs: 50, call: (i) => search(pick(samples, i).partner_booking_reference) },
    { name: "booking search: unit code", goalMs: 50, call: (i) => search(pick(samples, i).unit_code) },
    { name: "booking search: e-mail", goalMs: 50, call: (i) => search(pick(samples, i).customer_email) },
    { name: "booking search: full name", goalMs: 50, call: (i) => search(pick(samples, i).customer_name) },
    { name: "booking search: name fragment", goalMs: 50, call: (i) => search(pick(samples, i).customer_name.split(" ")[1]!.slice(0, 5).toLowerCase()) },
    { name: "booking search: correlation id", goalMs: 50, call: (i) => search(pick(samples, i).correlation_id) },
    { name: "booking search: idempotency key", goalMs: 50, call: (i) => search(pick(samples, i).idempotency_key) },
    { name: "endpoint health (every endpoint)", goalMs: 50, call: () => listEndpointsWithHealth(adminActor) },
    { name: "delivery log, no filter", goalMs: 50, call: () => listDeliveries({}, adminActor) },
    { name: "delivery log, status DEAD", goalMs: 50, call: () => listDeliveries({ filter: { status: ["DEAD"] } }, adminActor) },
    { name: "delivery log, undelivered", goalMs: 50, call: () => listDeliveries({ filter: { status: ["PENDING", "RETRYING"] } }, adminActor) },
    { name: "delivery count, status DEAD", goalMs: 50, call: () => countDeliveries({ filter: { status: ["DEAD"] } }, adminActor) },
    { name: "delivery count, undelivered", goalMs: 50, call: () => countDeliveries({ filter: { status: ["PENDING", "RETRYING"] } }, adminActor) },
    { name: "site manager's delivery log", goalMs: 50, call: () => listDeliveries({}, manager) },
    { name: "site manager's dead deliveries", goalMs: 50, call: () => listDeliveries({ filter: { status: ["DEAD"] } }, manager) },
    { name: "audit free text (a user's e-mail)", goalMs: 50, call: (i) => audit({ q: pick(["support2@holdfast", "manager3@", "ops@holdfast.test"], i) }) },
    { name: "audit free text (a reference)", goalMs: 50, call: (i) => audit({ q: pick(samples, i).reference }) },
    { name: "audit result = DENIED", goalMs: 50, call: () => audit({ result: "DENIED" }) },
    { name: "audit result = FAILED, site manager", goalMs: 50, call: () => audit({ result: "FAILED" }, manager) },
    { name: "inventory board (one facility)", goalMs: 50, call: (i) => getFacilityBoard(adminActor, { facilityCode: pick(facilities, i).code }) },
    {
      // "Next page" is one request: the console already has page 1 and its cursor
      name: "inventory board, filtered, page 2",
      goalMs: 50,
      prepare: async (i) => {
        const first = await getFacilityBoard(adminActor, { facilityCode: pick(facilities, i).code, status: ["OCCUPIED", "BOOKED"], limit: 100 });
        if (!first.nextCursor) throw new Error(`${pick(facilities, i).code} has no second page of occupied and booked units`);
        return first.nextCursor;
      },
      call: (i, after) =>
        getFacilityBoard(adminActor, { facilityCode: pick(facilities, i).code, status: ["OCCUPIED", "BOOKED"], limit: 100, after: after as string }),
    },
    { name: "site manager's board (code filter)", goalMs: 50, call: () => getFacilityBoard(manager, { facilityCode: managerFacility, code: "A-00" }) },
    // the catalogue page's two reads: every facility with its unit types, rates and pools; one page of a facility's units, retired ones listed
    { name: "catalogue: facilities and unit types", goalMs: 50, call: () => listCatalogue(adminActor) },
    { name: "catalogue: units (one facility)", goalMs: 50, call: (i) => getFacilityBoard(adminActor, { facilityCode: pick(facilities, i).code, includeRetired: true }) },
    // the whole nightly run: every check over every pool, unit and live booking (goal < 10 s at 100k units)
    { name: "reconciliation, every check", goalMs: 10_000, runs: Math.min(runs, 3), call: () => runReconciliation({ trigger: "MANUAL" }) },
  ];

  // A console server runs with its pool's connections open. The first call that needs a
  // connection the pool has not opened yet pays for a new PostgreSQL backend (60–70 ms
  // more for the board's five parallel statements), which is the process starting, not
  // the read path: open them all before timing anything.
  const { databaseConfig } = await import("../../server/config");
  await Promise.all(Array.from({ length: databaseConfig().poolMax }, () => db.$queryRaw`SELECT 1 AS x FROM pg_sleep(0.05)`));

  console.log(`\n${runs} calls per path (after 2 warm-up calls, the pool's connections open), through the domain services:`);
  console.log(`${"path".padEnd(38)} ${"p50".padStart(9)} ${"p95".padStart(9)}   goal (p95)`);
  let misses = 0;
  for (const path of paths) {
    for (let i = 0; i < (path.runs && path.runs < runs ? 1 : 2); i++) await path.call(i + 1000, await path.prepare?.(i + 1000));
    const times: number[] = [];
    for (let i = 0; i < (path.runs ?? runs); i++) {
      const prepared = await path.prepare?.(i);
      const t = performance.now();
      await path.call(i, prepared);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const ok = p95 <= path.goalMs;
    if (!ok) misses++;
    const runsNote = path.runs ? ` (${path.runs} runs)` : "";
    console.log(`${path.name.padEnd(38)} ${p50.toFixed(1).padStart(6)} ms ${p95.toFixed(1).padStart(6)} ms   ≤ ${path.goalMs} ms ${ok ? "ok" : "MISS"}${runsNote}`);
  }
  console.log(`\n${paths.length - misses} of ${paths.length} paths within goal`);
  await disconnectDb();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
