// bench/hold-confirm — hold+confirm pairs per second and their p50/p99 latency at 8
// clients, through the domain services (in process) and through the HTTP API, each as a
// ratio to the pgbench ceiling of the same two transactions (bench/hold-confirm/pgbench.sql),
// with a raw-SQL baseline on a bare pg pool as an extra line, all measured in the same run
// on the same database, each contender on a hot pool of its own. Run: npm run bench:hold-confirm
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { benchDatabase, formatRow, mergeRuns, percentile, runAlternating, runClients, type RunResult } from "../lib";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const PAIRS_PER_CLIENT = Number(process.env.BENCH_PAIRS ?? 150);
/** rounds of the request log on/off comparison, alternating A B B A … */
const LOG_ROUNDS = Number(process.env.BENCH_LOG_ROUNDS ?? 6);
/**
 * Pairs of the one-client comparison of the log on and off: a pair's latency with nobody
 * queued before it, so its p50 difference is what the log adds to a call, not the queue
 * of eight clients behind one pool row (where latency follows throughput).
 */
const SOLO_PAIRS = Number(process.env.BENCH_SOLO_PAIRS ?? 180);
const UNITS_PER_POOL = CLIENTS * PAIRS_PER_CLIENT + SOLO_PAIRS + 100;

/** The route handlers in a child process (like a real deployment: its own event loop). */
async function startRouteServerProcess(
  extraEnv: Record<string, string> = {},
): Promise<{ url: string; close: () => Promise<void>; cpuSeconds: () => number | null }> {
  // BENCH_CPU_PROF=DIR: each route server writes a V8 CPU profile there when it stops
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "bench/serve-routes.ts"], {
    env: { ...process.env, DATABASE_POOL_MAX: String(CLIENTS + 4), LOG_LEVEL: "error", ...extraEnv },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /listening (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
      else process.stderr.write(chunk);
    });
    child.once("exit", (code) => reject(new Error(`route server exited (${code})`)));
  });
  return {
    url,
    // user + system CPU the process has used so far (Linux: /proc/PID/stat, clock ticks of 1/100 s)
    cpuSeconds: () => {
      try {
        const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        return null;
      }
    },
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** pgbench: $PGBENCH, else on the PATH, else where Debian's postgresql packages put it. */
function findPgbench(): string | null {
  const candidates = [
    process.env.PGBENCH,
    ...(process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "pgbench")),
    "/usr/bin/pgbench",
    ...["17", "16", "15", "14", "13"].map((v) => `/usr/lib/postgresql/${v}/bin/pgbench`),
  ];
  for (const candidate of candidates) {
    if (!candidate || !fs.existsSync(candidate)) continue;
    try {
      execFileSync(candidate, ["--version"], { stdio: "ignore" });
      return candidate;
    } catch {
      // not runnable: try the next one
    }
  }
  return null;
}

/**
 * Runs bench/hold-confirm/pgbench.sql: `clients` connections (-c, as many as the other
 * contenders' pools), 2 threads, `perClient` script runs each (-t; one run = one pair),
 * prepared statements. Throughput is pgbench's own tps; p50/p99 from its per-transaction log.
 */
function runPgbench(
  binary: string,
  name: string,
  databaseUrl: string,
  vars: Record<string, string>,
  clients: number,
  perClient: number,
): RunResult {
  const url = new URL(databaseUrl);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-pgbench-"));
  const args = [
    "-n", "-M", "prepared", "-c", String(clients), "-j", String(Math.min(2, clients)), "-t", String(perClient),
    "-f", path.join(import.meta.dirname, "pgbench.sql"),
    ...Object.entries(vars).flatMap(([k, v]) => ["-D", `${k}=${v}`]),
    "-l", "--log-prefix", path.join(logDir, "tx"),
    "-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username),
    decodeURIComponent(url.pathname.slice(1)),
  ];
  try {
    let out: string;
    try {
      out = execFileSync(binary, args, {
        env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password), PGAPPNAME: "holdfast-bench-pgbench" },
        cwd: logDir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      throw new Error(`pgbench failed:\n${e.stderr ?? ""}${e.stdout ?? ""}`, { cause: error });
    }
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
    const processed = /number of transactions actually processed: (\d+)/.exec(out);
    const failed = /number of failed transactions: (\d+)/.exec(out);
    if (!tps || !processed) throw new Error(`pgbench: no tps in its output:\n${out}`);
    const latencies: number[] = [];
    for (const file of fs.readdirSync(logDir)) {
      for (const line of fs.readFileSync(path.join(logDir, file), "utf8").split("\n")) {
        const micros = Number(line.split(" ")[2]);
        if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    const perSecond = Number(tps[1]);
    const ops = Number(processed[1]);
    return { name, ops, seconds: ops / perSecond, perSecond, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: Number(failed?.[1] ?? 0), latencies };
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
  }
}

async function main() {
  const db = await benchDatabase("hold_confirm");
  process.env.DATABASE_URL = db.url;
  process.env.DATABASE_POOL_MAX = String(CLIENTS + 4);
  process.env.HOLDFAST_ENCRYPTION_KEY ??= Buffer.alloc(32, 9).toString("base64");
  process.env.LOG_LEVEL = "silent";
  process.env.RATE_LIMIT_WRITE_PER_MINUTE = "10000000";
  // Imported after DATABASE_URL is set: they read it on first use.
  const { getDb, disconnectDb } = await import("../../server/db");
  const { createHold } = await import("../../server/domain/bookings/create-hold");
  const { confirmBooking } = await import("../../server/domain/bookings/confirm-booking");
  const { hashApiKey } = await import("../../server/domain/shared/secrets");
  const { closeRateLimitPool } = await import("../../server/domain/rate-limits/consume");
  const prisma = getDb();

  // One facility, one pool per contender so each starts from the same state.
  const facility = await prisma.facility.create({
    data: { code: "BENCH-01", name: "Bench", timezone: "UTC", addressLine1: "1", city: "X", postalCode: "1", country: "GB", accessHours: "24/7" },
  });
  async function pool(code: string) {
    const unitType = await prisma.unitType.create({
      data: { facilityId: facility.id, code, name: code, widthFt: 10, depthFt: 10, areaSqFt: 100, climateControlled: false, monthlyRateCents: 10_000 },
    });
    const p = await prisma.inventoryPool.create({
      data: { facilityId: facility.id, unitTypeId: unitType.id, total: UNITS_PER_POOL, available: UNITS_PER_POOL },
    });
    await prisma.unit.createMany({
      data: Array.from({ length: UNITS_PER_POOL }, (_, i) => ({
        facilityId: facility.id, unitTypeId: unitType.id, poolId: p.id, code: `${code}-${i}`, floor: Math.floor(i / 100),
      })),
    });
    return { unitTypeId: unitType.id, poolId: p.id, code };
  }
  const pgbenchPool = await pool("PGBENCH");
  const [sqlPool, domainPool, httpPool, httpOffPool] = [await pool("SQL"), await pool("DOMAIN"), await pool("HTTP"), await pool("HTTPOFF")];
  const partner = await prisma.partner.create({ data: { code: "BENCH", name: "Bench", kind: "OTHER" } });
  const apiKey = `hf_bench_${crypto.randomBytes(16).toString("hex")}`;
  await prisma.apiKey.create({
    data: { partnerId: partner.id, name: "bench", prefix: apiKey.slice(0, 12), keyHash: hashApiKey(apiKey), scopes: ["bookings:write"], writeRateLimitPerMinute: 10_000_000 },
  });
  const moveIn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  const body = (i: string) => ({
    facility_code: "BENCH-01",
    partner_booking_reference: `B-${i}`,
    customer: { name: "Bench Customer", email: "bench@example.com" },
    move_in_date: moveIn,
  });

  // ── baseline: the same two transactions as plain SQL on a bare pg pool ──
  const raw = new pg.Pool({ connectionString: db.url, max: CLIENTS });
  async function sqlPair(c: number, i: number) {
    const client = await raw.connect();
    try {
      const ref = `BKS${c}x${i}`;
      await client.query("BEGIN");
      const unit = await client.query<{ id: string }>(
        `SELECT id FROM units WHERE pool_id = $1 AND status = 'AVAILABLE' ORDER BY floor, code LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [sqlPool.poolId],
      );
      const unitId = unit.rows[0]!.id;
      const booking = await client.query<{ id: string }>(
        `INSERT INTO bookings (reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference,
           customer_name, customer_email, move_in_date, status, hold_expires_at, monthly_rate_cents, inventory_version, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'Bench Customer', 'bench@example.com', $8, 'TENTATIVE', now() + interval '15 minutes', 10000, 0, now())
         RETURNING id`,
        [ref, partner.id, facility.id, sqlPool.unitTypeId, sqlPool.poolId, unitId, `B-${ref}`, moveIn],
      );
      await client.query(`INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result, correlation_id)
         VALUES ('PARTNER', $1, 'BENCH', 'booking.hold', 'booking', $2, $3, 'SUCCESS', $2)`, [partner.id, ref, facility.id]);
      const p1 = await client.query<{ inventory_version: number }>(
        `WITH u AS (UPDATE units SET status = 'HELD', status_changed_at = now() WHERE id = $1 AND status = 'AVAILABLE' RETURNING pool_id)
         UPDATE inventory_pools SET available = available - 1, held = held + 1, inventory_version = inventory_version + 1, updated_at = now()
         WHERE id = (SELECT pool_id FROM u) RETURNING inventory_version`,
        [unitId],
      );
      await client.query(`INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, booking_id, correlation_id, data)
         VALUES ($1, 'inventory.updated', 'pool', $2, $3, $4, $5, $6, '{}')`, [`evt_s${ref}a`, sqlPool.poolId, p1.rows[0]!.inventory_version, facility.id, booking.rows[0]!.id, ref]);
      await client.query(`UPDATE bookings SET inventory_version = $1 WHERE id = $2`, [p1.rows[0]!.inventory_version, booking.rows[0]!.id]);
      await client.query(`INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, booking_id, correlation_id, data)
         VALUES ($1, 'booking.held', 'booking', $2::text, 1, $3, $2::uuid, $4, '{}')`, [`evt_s${ref}b`, booking.rows[0]!.id, facility.id, ref]);
      await client.query("COMMIT");

      await client.query("BEGIN");
      const locked = await client.query<{ id: string; unit_id: string }>(`SELECT id, unit_id FROM bookings WHERE reference = $1 FOR UPDATE`, [ref]);
      const p2 = await client.query<{ inventory_version: number }>(
        `WITH u AS (UPDATE units SET status = 'BOOKED', status_changed_at = now() WHERE id = $1 AND status = 'HELD' RETURNING pool_id)
         UPDATE inventory_pools SET held = held - 1, booked = booked + 1, inventory_version = inventory_version + 1, updated_at = now()
         WHERE id = (SELECT pool_id FROM u) RETURNING inventory_version`,
        [locked.rows[0]!.unit_id],
      );
      await client.query(`INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, booking_id, correlation_id, data)
         VALUES ($1, 'inventory.updated', 'pool', $2, $3, $4, $5, $6, '{}')`, [`evt_s${ref}c`, sqlPool.poolId, p2.rows[0]!.inventory_version, facility.id, locked.rows[0]!.id, ref]);
      await client.query(`UPDATE bookings SET status = 'CONFIRMED', confirmed_at = now(), version = version + 1, inventory_version = $1, last_event_at = now(), updated_at = now() WHERE id = $2`,
        [p2.rows[0]!.inventory_version, locked.rows[0]!.id]);
      await client.query(`INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, booking_id, correlation_id, data)
         VALUES ($1, 'booking.confirmed', 'booking', $2::text, 2, $3, $2::uuid, $4, '{}')`, [`evt_s${ref}d`, locked.rows[0]!.id, facility.id, ref]);
      await client.query(`INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result, correlation_id)
         VALUES ('PARTNER', $1, 'BENCH', 'booking.confirm', 'booking', $2, $3, 'SUCCESS', $2)`, [partner.id, ref, facility.id]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  const actor = { type: "PARTNER" as const, id: partner.id, label: "BENCH", scopes: ["bookings:write" as const], facilityIds: null, correlationId: "bench" };
  async function domainPair(c: number, i: number) {
    const held = await createHold({ ...body(`D${c}-${i}`), unit_type_code: domainPool.code }, { ...actor, correlationId: `cor_d${c}_${i}` });
    await confirmBooking(held.reference, { ...actor, correlationId: `cor_d${c}_${i}` });
  }

  const server = process.env.BENCH_BASE_URL ? null : await startRouteServerProcess();
  const baseUrl = process.env.BENCH_BASE_URL ?? server!.url;
  // The same route handlers with the request log off (HOLDFAST_API_LOG=0): what the log costs (docs/request-log.md).
  const serverOff = process.env.BENCH_BASE_URL ? null : await startRouteServerProcess({ HOLDFAST_API_LOG: "0" });
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
  const httpPair = (c: number, i: number) => httpPairAt(baseUrl, httpPool.code, "h", c, i);
  const httpOffPair = (c: number, i: number) => httpPairAt(serverOff!.url, httpOffPool.code, "o", c, i);
  async function httpPairAt(baseUrl: string, poolCode: string, tag: string, c: number, i: number) {
    const created = await fetch(`${baseUrl}/api/v1/bookings`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": `${tag}-${c}-${i}` },
      body: JSON.stringify({ ...body(`${tag.toUpperCase()}${c}-${i}`), unit_type_code: poolCode }),
    });
    if (created.status !== 201) throw new Error(`hold: ${created.status} ${await created.text()}`);
    const { reference } = (await created.json()) as { reference: string };
    const confirmed = await fetch(`${baseUrl}/api/v1/bookings/${reference}/confirm`, {
      method: "POST",
      headers: { ...headers, "idempotency-key": `${tag}c-${c}-${i}` },
    });
    if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${await confirmed.text()}`);
  }

  const pgbench = findPgbench();
  const pgbenchVars = {
    pool_id: pgbenchPool.poolId,
    facility_id: facility.id,
    unit_type_id: pgbenchPool.unitTypeId,
    partner_id: partner.id,
    move_in: moveIn,
  };

  // warm-up (JIT, connections, plan caches), not measured
  if (pgbench) runPgbench(pgbench, "warm-up", db.url, pgbenchVars, CLIENTS, 3);
  await runClients("warm-up", CLIENTS, 3, (c, i) => sqlPair(c, 100_000 + i));
  await runClients("warm-up", CLIENTS, 3, (c, i) => domainPair(c, 100_000 + i));
  await runClients("warm-up", CLIENTS, 3, (c, i) => httpPair(c, 100_000 + i));
  if (serverOff) await runClients("warm-up", CLIENTS, 3, (c, i) => httpOffPair(c, 100_000 + i));

  console.log(`\nhold+confirm pairs, ${CLIENTS} clients × ${PAIRS_PER_CLIENT} pairs each\n`);
  // Every contender in each of LOG_ROUNDS rounds, the order rotated from round to round
  // (ceiling, baseline, domain, HTTP log on, HTTP log off, then starting one later …), so
  // load drifting on this shared machine falls on all of them alike — the ceiling
  // included, which a single run before the others let swing by half between runs.
  const httpName = `HTTP API (${server ? "route handlers, own process" : baseUrl})`;
  const contenders: { key: string; name: string; run: (perRound: number, round: number) => Promise<RunResult> | RunResult }[] = [
    ...(pgbench
      ? [{ key: "ceiling", name: "pgbench ceiling (same SQL, C client)", run: (n: number) => runPgbench(pgbench, "pgbench ceiling (same SQL, C client)", db.url, pgbenchVars, CLIENTS, n) }]
      : []),
    { key: "baseline", name: "raw SQL baseline (pg pool)", run: (n, round) => runClients("raw SQL baseline (pg pool)", CLIENTS, n, (c, i) => sqlPair(c, round * n + i)) },
    { key: "domain", name: "domain services (in process)", run: (n, round) => runClients("domain services (in process)", CLIENTS, n, (c, i) => domainPair(c, round * n + i)) },
    { key: "http", name: httpName, run: (n, round) => runClients(httpName, CLIENTS, n, (c, i) => httpPair(c, round * n + i)) },
    ...(serverOff
      ? [{ key: "httpOff", name: "HTTP API, request log off (HOLDFAST_API_LOG=0)", run: (n: number, round: number) => runClients("HTTP API, request log off (HOLDFAST_API_LOG=0)", CLIENTS, n, (c: number, i: number) => httpOffPair(c, round * n + i)) }]
      : []),
  ];
  const perRound = Math.max(1, Math.floor(PAIRS_PER_CLIENT / LOG_ROUNDS));
  const rounds = new Map<string, RunResult[]>(contenders.map((c) => [c.key, []]));
  for (let round = 0; round < LOG_ROUNDS; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length]!;
      rounds.get(contender.key)!.push(await contender.run(perRound, round));
    }
  }
  const merged = (key: string) => {
    const runs = rounds.get(key);
    return runs?.length ? mergeRuns(contenders.find((c) => c.key === key)!.name, runs) : null;
  };
  const ceiling = merged("ceiling");
  const baseline = merged("baseline")!;
  const domain = merged("domain")!;
  const http = merged("http")!;
  const httpOff = merged("httpOff");
  // One client, log on and off alternating: the latency the log adds to a call when no
  // other client is queued on the pool row (indexes past every other run's).
  const [solo, soloOff] = serverOff
    ? await runAlternating(
        LOG_ROUNDS,
        1,
        SOLO_PAIRS,
        { name: "HTTP API, 1 client, log on", op: (c, i) => httpPair(c, 50_000 + i) },
        { name: "HTTP API, 1 client, log off", op: (c, i) => httpOffPair(c, 50_000 + i) },
      )
    : [null, null];
  // Every contender as a share of the pgbench ceiling; without pgbench, of the pg-pool baseline (said so).
  const reference = ceiling ?? baseline;
  const referenceName = ceiling ? "pgbench ceiling" : "pg-pool baseline";
  if (ceiling) console.log(formatRow(ceiling));
  else console.log(`pgbench not found (PATH, /usr/bin, /usr/lib/postgresql/*/bin; set PGBENCH): ratios below are to the pg-pool baseline, not the pgbench ceiling`);
  console.log(formatRow(baseline, ceiling ?? undefined, referenceName));
  console.log(formatRow(domain, reference, referenceName));
  console.log(formatRow(http, reference, referenceName));
  if (httpOff) {
    console.log(formatRow(httpOff, reference, referenceName));
    console.log(
      `\nrequest log: throughput ${(((http.perSecond - httpOff.perSecond) / httpOff.perSecond) * 100).toFixed(1)} % with it on vs off (goal ≥ -5 %), ` +
        `p50 ${(http.p50 - httpOff.p50).toFixed(1)} ms at ${CLIENTS} clients (queued behind one pool row, so it follows throughput)`,
    );
  }
  // Both route servers answered the same calls (warm-up, rounds, one-client pairs): their
  // CPU per pair is what the log costs the app process, whatever else loads the machine.
  const [cpuOn, cpuOff] = [server?.cpuSeconds() ?? null, serverOff?.cpuSeconds() ?? null];
  if (cpuOn !== null && cpuOff !== null && http && httpOff && solo && soloOff) {
    const pairs = http.ops + (solo?.ops ?? 0) + CLIENTS * 3;
    const pairsOff = httpOff.ops + (soloOff?.ops ?? 0) + CLIENTS * 3;
    const on = (cpuOn * 1000) / pairs;
    const off = (cpuOff * 1000) / pairsOff;
    console.log(`route server CPU per pair: log on ${on.toFixed(2)} ms, log off ${off.toFixed(2)} ms (${(on - off >= 0 ? "+" : "") + (on - off).toFixed(2)} ms, ${(((on - off) / off) * 100).toFixed(1)} %)`);
  }
  if (solo && soloOff) {
    console.log(formatRow(solo));
    console.log(formatRow(soloOff));
    console.log(
      `request log at 1 client: p50 of a pair (two logged calls) ${(solo.p50 - soloOff.p50).toFixed(1)} ms with it on vs off, ${((solo.p50 - soloOff.p50) / 2).toFixed(1)} ms a call (goal ≤ 2 ms), ` +
        `throughput ${(((solo.perSecond - soloOff.perSecond) / soloOff.perSecond) * 100).toFixed(1)} %`,
    );
  }
  const pct = (r: RunResult, of: RunResult) => ((r.perSecond / of.perSecond) * 100).toFixed(0);
  console.log(
    ceiling
      ? `\nratios to the pgbench ceiling: domain ${pct(domain, ceiling)} % (goal ≥ 70 %), HTTP ${pct(http, ceiling)} % (goal ≥ 50 %); ` +
          `pg-pool baseline ${pct(baseline, ceiling)} %`
      : `\nratios to the pg-pool baseline (NO pgbench ceiling in this run): domain ${pct(domain, baseline)} %, HTTP ${pct(http, baseline)} %`,
  );
  if (ceiling) console.log(`ratios to the pg-pool baseline: domain ${pct(domain, baseline)} %, HTTP ${pct(http, baseline)} %`);

  // the invariant still holds after all that
  const check = await raw.query(
    `SELECT p.id FROM inventory_pools p WHERE p.facility_id = $1 AND (p.held, p.booked, p.available) <>
       ((SELECT count(*) FROM units u WHERE u.pool_id = p.id AND status = 'HELD')::int,
        (SELECT count(*) FROM units u WHERE u.pool_id = p.id AND status = 'BOOKED')::int,
        (SELECT count(*) FROM units u WHERE u.pool_id = p.id AND status = 'AVAILABLE')::int)`,
    [facility.id],
  );
  if (check.rowCount) throw new Error("pool counters disagree with unit statuses after the run");
  // Every contender wrote the same rows per pair (so the ceiling is the same work): one
  // confirmed booking, two audit entries, four events (two inventory.updated, booking.held,
  // booking.confirmed).
  const rows = await raw.query<{ code: string; bookings: number; events: number; audits: number }>(
    `SELECT ut.code, count(*)::int AS bookings,
            (SELECT count(*) FROM events e JOIN bookings b2 ON b2.id = e.booking_id WHERE b2.pool_id = p.id)::int AS events,
            (SELECT count(*) FROM audit_entries a JOIN bookings b3 ON b3.reference = a.target_id WHERE b3.pool_id = p.id)::int AS audits
     FROM inventory_pools p JOIN unit_types ut ON ut.id = p.unit_type_id JOIN bookings b ON b.pool_id = p.id AND b.status = 'CONFIRMED'
     WHERE p.facility_id = $1 GROUP BY ut.code, p.id ORDER BY ut.code`,
    [facility.id],
  );
  for (const r of rows.rows) {
    if (r.events !== r.bookings * 4 || r.audits !== r.bookings * 2) {
      throw new Error(`${r.code}: ${r.bookings} bookings with ${r.events} events and ${r.audits} audit entries (want 4 and 2 each)`);
    }
  }
  console.log(`rows per pair, every contender: 1 booking, 2 audit entries, 4 events (${rows.rows.map((r) => `${r.code} ${r.bookings}`).join(", ")} bookings)`);

  await server?.close();
  await serverOff?.close();
  await raw.end();
  await closeRateLimitPool();
  await disconnectDb();
  await db.stop();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
