// bench/alerts: issue 14's benchmark — one evaluation of every built-in alert rule
// (readSignals + evaluateAlerts, as the worker runs it each minute) over 1,000 webhook
// endpoints and 10,000 pools with their deliveries, attempts, bookings, drift and
// payments, beside a plain-SQL baseline in the same run: the same measurements as bare
// GROUP BY statements over a raw pg connection, without thresholds, incidents or audit.
// Goal: an evaluation under 1 s.
// Run: npm run bench:alerts  (BENCH_ENDPOINTS, BENCH_POOLS, BENCH_DELIVERIES_PER_ENDPOINT, BENCH_RUNS)
import pg from "pg";
import { benchDatabase } from "../lib";

const GOAL_MS = 1000;

interface Shape {
  endpoints: number;
  pools: number;
  deliveriesPerEndpoint: number;
}

/**
 * The data, set-based. Partners have 10 endpoints each; facilities 100 pools of 10 units,
 * half of them booked or held. Every endpoint has `deliveriesPerEndpoint` deliveries with
 * one first attempt each over the last three hours; one endpoint in 20 is failing (its
 * newest deliveries retrying, its attempts failing), one in 50 has dead letters, one in
 * 100 is disabled. Five facilities have holds past expiry, twenty have open drift; the
 * newest reconciliation run failed and ten payment events failed in the last hour.
 */
async function build(raw: pg.Client, shape: Shape): Promise<void> {
  const { endpoints, pools, deliveriesPerEndpoint: perEndpoint } = shape;
  const partners = Math.ceil(endpoints / 10);
  const facilities = Math.ceil(pools / 100);
  const events = Math.max(perEndpoint * 100, 20_000);
  const uuid = (kind: number, expr: string) => `('00000000-0000-4000-800${kind}-' || lpad((${expr})::text, 12, '0'))::uuid`;
  await raw.query(`
    INSERT INTO partners (id, code, name, kind)
    SELECT ${uuid(1, "p")}, 'BP' || p, 'Bench partner ' || p, 'OTHER' FROM generate_series(0, ${partners - 1}) p;
    INSERT INTO facilities (id, code, name, timezone, address_line1, city, postal_code, country, access_hours)
    SELECT ${uuid(2, "f")}, 'BF-' || f, 'Bench ' || f, 'UTC', '1', 'X', '1', 'GB', '24/7' FROM generate_series(0, ${facilities - 1}) f;
    INSERT INTO unit_types (id, facility_id, code, name, width_ft, depth_ft, area_sq_ft, climate_controlled, monthly_rate_cents)
    SELECT ${uuid(3, "p")}, ${uuid(2, "p / 100")}, 'T' || p, 'T' || p, 10, 10, 100, false, 10000 FROM generate_series(0, ${pools - 1}) p;
    INSERT INTO inventory_pools (id, facility_id, unit_type_id, total, available, held, booked, inventory_version)
    SELECT ${uuid(4, "p")}, ${uuid(2, "p / 100")}, ${uuid(3, "p")}, 10, 5, 1, 4, 5 FROM generate_series(0, ${pools - 1}) p;
    INSERT INTO units (id, facility_id, unit_type_id, pool_id, code, status)
    SELECT ${uuid(5, "i")}, ${uuid(2, "(i / 10) / 100")}, ${uuid(3, "i / 10")}, ${uuid(4, "i / 10")}, 'U' || i,
           (CASE WHEN i % 10 < 4 THEN 'BOOKED' WHEN i % 10 = 4 THEN 'HELD' ELSE 'AVAILABLE' END)::"UnitStatus"
    FROM generate_series(0, ${pools * 10 - 1}) i;
    -- holds: live ones everywhere, lapsed (10 min past expiry, not yet released) in 5 facilities
    INSERT INTO bookings (reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference, customer_name,
                          customer_email, move_in_date, status, hold_expires_at, monthly_rate_cents, inventory_version)
    SELECT 'BK-' || u.code, ${uuid(1, `(i / 10) % ${partners}`)}, u.facility_id, u.unit_type_id, u.pool_id, u.id, u.code, 'C', 'c@example.com',
           current_date + 7, (CASE WHEN i % 10 = 4 THEN 'TENTATIVE' ELSE 'CONFIRMED' END)::"BookingStatus",
           CASE WHEN i % 10 = 4 AND (i / 1000) < 5 AND (i / 10) % 100 = 0 THEN now() - interval '10 minutes' ELSE now() + interval '10 minutes' END,
           10000, 1
    FROM units u JOIN LATERAL (SELECT substr(u.code, 2)::int AS i) n ON true WHERE i % 10 <= 4;
    INSERT INTO webhook_endpoints (id, partner_id, url, secret_ciphertext, status, consecutive_failures, disabled_reason)
    SELECT 'ep_bench_' || e, ${uuid(1, "e / 10")}, 'https://bench.invalid/' || e, 'x',
           (CASE WHEN e % 100 = 1 THEN 'DISABLED' ELSE 'ACTIVE' END)::"EndpointStatus",
           CASE WHEN e % 20 = 0 THEN 12 ELSE 0 END, CASE WHEN e % 100 = 1 THEN 'bench' END
    FROM generate_series(0, ${endpoints - 1}) e;
    INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, data, created_at)
    SELECT 'evt_bench_' || v, 'booking.confirmed', 'booking', 'BK-' || v, 1, '{}', now() - interval '3 hours' + (v * interval '3 hours' / ${events})
    FROM generate_series(0, ${events - 1}) v;
    -- delivery k of endpoint e: event (e + 97 k) mod events, created over the last three hours
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempt_count, created_at, succeeded_at, dead_at, next_attempt_at)
    SELECT 'dlv_bench_' || e || '_' || k, 'ep_bench_' || e, 'evt_bench_' || ((e + 97 * k) % ${events}), s.status::"DeliveryStatus",
           1, t.created, CASE WHEN s.status = 'SUCCEEDED' THEN t.created + interval '1 second' END,
           CASE WHEN s.status = 'DEAD' THEN t.created + interval '1 minute' END,
           CASE WHEN s.status IN ('PENDING', 'RETRYING') THEN now() + interval '1 minute' END
    FROM generate_series(0, ${endpoints - 1}) e, generate_series(0, ${perEndpoint - 1}) k,
         LATERAL (SELECT now() - interval '3 hours' + (k * interval '3 hours' / ${perEndpoint}) AS created) t,
         LATERAL (SELECT CASE
           WHEN e % 20 = 0 AND k >= ${perEndpoint - 20} THEN 'RETRYING'
           WHEN e % 100 = 1 AND k >= ${perEndpoint - 20} THEN 'PENDING'
           WHEN e % 50 = 0 AND k % 40 = 0 THEN 'DEAD'
           ELSE 'SUCCEEDED' END AS status) s;
    INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt_number, trigger, started_at, request_headers, response_status, duration_ms, failure_class)
    SELECT d.id, d.endpoint_id, 1, 'SCHEDULED', d.created_at + interval '100 milliseconds', '{}',
           CASE WHEN f.failing THEN 503 ELSE 200 END, 80, CASE WHEN f.failing THEN 'HTTP_5XX'::"FailureClass" END
    FROM webhook_deliveries d JOIN webhook_endpoints ep ON ep.id = d.endpoint_id,
         LATERAL (SELECT ep.consecutive_failures > 0 OR d.status <> 'SUCCEEDED' AS failing) f;
    INSERT INTO reconciliation_runs (id, trigger, status, started_at, finished_at, error)
    VALUES ('rec_bench_ok', 'SCHEDULED', 'SUCCEEDED', now() - interval '2 hours', now() - interval '2 hours', NULL),
           ('rec_bench_failed', 'SCHEDULED', 'FAILED', now() - interval '1 hour', now() - interval '1 hour', 'bench');
    INSERT INTO discrepancies (run_id, kind, severity, facility_id, summary, expected, actual, fingerprint)
    SELECT 'rec_bench_ok', 'POOL_COUNTER', (CASE WHEN d % 3 = 0 THEN 'HIGH' ELSE 'LOW' END)::"Severity", ${uuid(2, `d % ${Math.min(20, facilities)}`)},
           'bench', '{}', '{}', 'bench:' || d
    FROM generate_series(0, 199) d;
    INSERT INTO inbound_webhook_events (id, source, status, raw_body, received_at, processed_at)
    SELECT 'iwe_bench_' || i, 'bench', (CASE WHEN i < 10 THEN 'FAILED' ELSE 'PROCESSED' END)::"InboundStatus", '{}',
           now() - (i * interval '1 minute'), now() - (i * interval '1 minute')
    FROM generate_series(0, 999) i;
    INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, last_beat_at)
    VALUES ('bench-worker', 'bench', 1, now() - interval '1 hour', now());
    ANALYZE;`);
}

/** The baseline: the same measurements, one bare statement each, no LATERAL per endpoint. */
const BASELINE = [
  `SELECT endpoint_id, min(created_at) FILTER (WHERE status IN ('PENDING', 'RETRYING')) AS oldest,
          count(*) FILTER (WHERE status IN ('PENDING', 'RETRYING')) AS undelivered,
          count(*) FILTER (WHERE status = 'DEAD' AND dead_at >= now() - interval '24 hours') AS dead
   FROM webhook_deliveries WHERE status <> 'SUCCEEDED' GROUP BY endpoint_id`,
  `SELECT endpoint_id, count(*) AS n, count(*) FILTER (WHERE failure_class IS NOT NULL) AS failed FROM webhook_attempts
   WHERE started_at >= now() - interval '1 hour' AND attempt_number = 1 AND trigger = 'SCHEDULED' GROUP BY endpoint_id`,
  `SELECT id, status, consecutive_failures FROM webhook_endpoints WHERE deleted_at IS NULL AND (status = 'DISABLED' OR consecutive_failures > 0)`,
  `SELECT facility_id, count(*), max(severity) FROM discrepancies WHERE status = 'OPEN' GROUP BY facility_id`,
  `SELECT facility_id, count(*), min(hold_expires_at) FROM bookings WHERE status = 'TENTATIVE' AND hold_expires_at < now() GROUP BY facility_id`,
  `SELECT max(last_beat_at) FROM worker_heartbeats`,
  `SELECT id, status FROM reconciliation_runs WHERE status <> 'RUNNING' ORDER BY started_at DESC LIMIT 1`,
  `SELECT count(*) FROM inbound_webhook_events WHERE status = 'FAILED' AND received_at >= now() - interval '1 hour'`,
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main() {
  const shape: Shape = {
    endpoints: Number(process.env.BENCH_ENDPOINTS ?? 1000),
    pools: Number(process.env.BENCH_POOLS ?? 10_000),
    deliveriesPerEndpoint: Number(process.env.BENCH_DELIVERIES_PER_ENDPOINT ?? 200),
  };
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const db = await benchDatabase("alerts");
  process.env.DATABASE_URL = db.url;
  process.env.LOG_LEVEL = "silent";
  const { disconnectDb, getDb } = await import("../../server/db");
  const { readSignals } = await import("../../server/domain/incidents/read-signals");
  const { evaluateAlerts } = await import("../../server/domain/incidents/evaluate-alerts");
  const { systemActor } = await import("../../server/domain/shared/actor");
  const raw = new pg.Client({ connectionString: db.url });
  await raw.connect();
  try {
    const built = performance.now();
    await build(raw, shape);
    const counts = (
      await raw.query<Record<string, number>>(`SELECT
        (SELECT count(*)::int FROM webhook_endpoints) AS endpoints, (SELECT count(*)::int FROM inventory_pools) AS pools,
        (SELECT count(*)::int FROM units) AS units, (SELECT count(*)::int FROM bookings) AS bookings,
        (SELECT count(*)::int FROM webhook_deliveries) AS deliveries, (SELECT count(*)::int FROM webhook_attempts) AS attempts`)
    ).rows[0]!;
    console.log(
      `built ${Object.entries(counts).map(([k, v]) => `${v.toLocaleString("en")} ${k}`).join(", ")} in ${((performance.now() - built) / 1000).toFixed(1)} s`,
    );

    const prisma = getDb();
    await prisma.$queryRaw`SELECT 1`; // connect before timing
    const actor = () => systemActor("evaluate_alerts", `cor_bench_${crypto.randomUUID()}`);

    // warm both sides once (plans, caches), then alternate so load swings hit both alike
    for (const sql of BASELINE) await raw.query(sql);
    const signals = await prisma.$transaction((tx) => readSignals(tx, new Date()));
    const first = performance.now();
    const firstResult = await evaluateAlerts(actor());
    const firstMs = performance.now() - first;

    const baselineMs: number[] = [];
    const readMs: number[] = [];
    const evaluateMs: number[] = [];
    let steady = firstResult;
    for (let i = 0; i < runs; i++) {
      baselineMs.push(await timed(async () => {
        for (const sql of BASELINE) await raw.query(sql);
      }));
      readMs.push(await timed(() => prisma.$transaction((tx) => readSignals(tx, new Date()))));
      evaluateMs.push(await timed(async () => (steady = await evaluateAlerts(actor()))));
    }
    const incidents = await prisma.incident.count();

    // Why evaluate-alerts.ts writes the open incidents it still sees in one statement: the
    // same rows updated one statement each, beside one UPDATE … WHERE id = ANY.
    const open = await prisma.incident.findMany({ where: { status: { not: "RESOLVED" } }, select: { id: true, summary: true } });
    const perRowMs = median(await (async () => {
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        out.push(await timed(() => prisma.$transaction(async (tx) => {
          for (const o of open) await tx.incident.update({ where: { id: o.id }, data: { summary: o.summary, lastSeenAt: new Date() } });
        }, { timeout: 120_000 })));
      }
      return out;
    })());
    const oneStatementMs = median(await (async () => {
      const out: number[] = [];
      for (let i = 0; i < runs; i++) {
        out.push(await timed(() => raw.query(`UPDATE incidents SET last_seen_at = now() WHERE id = ANY($1)`, [open.map((o) => o.id)])));
      }
      return out;
    })());
    const [b, r, e] = [median(baselineMs), median(readMs), median(evaluateMs)];
    console.log(`${signals.length.toLocaleString("en")} measurements; the first evaluation opened ${firstResult.triggered} incidents, the next ones changed ${
      steady.triggered + steady.resolved + steady.escalated + steady.downgraded + steady.reopened} (${incidents} incidents in all)`);
    console.log(`median of ${runs} runs:`);
    console.log(`  plain-SQL baseline (the same measurements):     ${b.toFixed(0).padStart(6)} ms`);
    console.log(`  readSignals (every rule's measurement):         ${r.toFixed(0).padStart(6)} ms   ${(r / b).toFixed(2)}× the baseline`);
    console.log(`  evaluateAlerts, steady (nothing changes):       ${e.toFixed(0).padStart(6)} ms   ${(e / b).toFixed(2)}× the baseline — goal < ${GOAL_MS} ms: ${e < GOAL_MS ? "met" : "MISSED"}`);
    console.log(`  ${open.length} open incidents updated one statement each (Prisma, one transaction) would take ${perRowMs.toFixed(0)} ms; ` +
      `in one UPDATE … WHERE id = ANY, as evaluateAlerts does: ${oneStatementMs.toFixed(0)} ms`);
    console.log(`  evaluateAlerts, first (opens every incident; the process's first queries, cold): ${firstMs.toFixed(0).padStart(6)} ms   ${(firstMs / b).toFixed(2)}× the baseline`);
  } finally {
    await raw.end();
    await disconnectDb();
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
