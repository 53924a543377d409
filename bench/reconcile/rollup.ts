// bench/reconcile/rollup.ts — the KPI roll-up over 1M events (and the rows around them
// that it reads: bookings, webhook deliveries and attempts, partner API requests,
// sign-ins, reconciliation runs), all made with generate_series in a throwaway database,
// beside a baseline measured in the same run: plain SQL GROUP BY aggregates, by hour,
// over the same tables. Also the incremental run the worker does every minute, and the
// dashboard's read of 90 days. Run: npx tsx bench/reconcile/rollup.ts
// (BENCH_EVENTS, BENCH_DAYS to resize; BENCH_PG_PORT for the embedded server's port).
//
// Figures (2026-11-21, this 2-core machine at load average ~20, shared with other suites):
// 1M events, 100k bookings, 150k deliveries, 200k attempts, 300k API requests —
// baseline 5.46 s, full roll-up 24.86 s (4.55× the baseline: it also joins attempts and
// deliveries to their events and endpoints, bins latencies, runs occupancy per hour and
// writes ~82k bucket rows), incremental minute run 0.89 s, dashboard read of 90 days 0.37 s.
import pg from "pg";
import { benchDatabase } from "../lib";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAYS = Number(process.env.BENCH_DAYS ?? 30);
const UNITS_PER_FACILITY = 1_000;

export interface RollupBenchResult {
  events: number;
  rows: Record<string, number>;
  /** the full roll-up (first run: every bucket from the oldest fact) */
  rollupMs: number;
  /** plain GROUP BY aggregates over the same tables */
  baselineMs: number;
  /** rollupMs ÷ baselineMs */
  ratio: number;
  /** a run of the minute job: the last hours only */
  incrementalMs: number;
  /** the dashboard reading 90 daily buckets of every KPI */
  dashboardMs: number;
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The data set, as the services would have left it, spread over DAYS days up to now. */
async function generate(client: pg.Client): Promise<Record<string, number>> {
  const span = `${DAYS} days`;
  await client.query(`
    INSERT INTO facilities (code, name, timezone, address_line1, city, postal_code, country, access_hours)
    SELECT 'BENCH-' || f, 'Bench ' || f, 'UTC', '1 Bench Road', 'Bench', 'B1', 'GB', '24/7' FROM generate_series(1, 3) f;
    INSERT INTO unit_types (facility_id, code, name, width_ft, depth_ft, area_sq_ft, climate_controlled, monthly_rate_cents)
    SELECT id, '10X10', '10 x 10', 10, 10, 100, false, 12900 FROM facilities;
    INSERT INTO inventory_pools (facility_id, unit_type_id, total, available)
    SELECT facility_id, id, ${UNITS_PER_FACILITY}, ${UNITS_PER_FACILITY} FROM unit_types;
    INSERT INTO units (facility_id, unit_type_id, pool_id, code)
    SELECT p.facility_id, p.unit_type_id, p.id, 'U-' || u FROM inventory_pools p, generate_series(1, ${UNITS_PER_FACILITY}) u;
    INSERT INTO partners (code, name, kind) SELECT 'P' || p, 'Partner ' || p, 'MARKETPLACE' FROM generate_series(1, 3) p;
    INSERT INTO webhook_endpoints (id, partner_id, url, secret_ciphertext)
    SELECT 'ep_bench_' || code, id, 'https://partner.example/' || code, 'sealed' FROM partners;
  `);
  // 1M events: half inventory.updated, the rest booking events, evenly over the span.
  await client.query(`
    WITH f AS (SELECT array_agg(id ORDER BY code) ids FROM facilities), p AS (SELECT array_agg(id ORDER BY code) ids FROM partners)
    INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id, data, created_at)
    SELECT 'evt_bench_' || g,
           t.type, CASE WHEN t.type = 'inventory.updated' THEN 'pool' ELSE 'booking' END, 'agg_' || (g % 5000), g,
           f.ids[1 + g % 3], p.ids[1 + (g / 3) % 3],
           CASE WHEN t.type = 'booking.cancelled' THEN '{"previous_status":"tentative"}'::jsonb ELSE '{}'::jsonb END,
           now() - interval '${span}' + (g::float8 / ${EVENTS}) * interval '${span}'
    FROM generate_series(1, ${EVENTS}) g, f, p,
         LATERAL (SELECT CASE WHEN g % 20 < 10 THEN 'inventory.updated' WHEN g % 20 < 14 THEN 'booking.held'
                              WHEN g % 20 < 17 THEN 'booking.confirmed' WHEN g % 20 < 18 THEN 'booking.expired'
                              ELSE 'booking.cancelled' END AS type) t;
  `);
  // A delivery of every 4th inventory.updated event to its partner's endpoint; 1 in 10 needed a retry, 1 in 200 died.
  await client.query(`
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempt_count, succeeded_at, dead_at, created_at)
    SELECT 'msg_' || e.id, 'ep_bench_' || p.code, e.id,
           (CASE WHEN e.seq % 200 = 0 THEN 'DEAD' ELSE 'SUCCEEDED' END)::"DeliveryStatus",
           CASE WHEN e.seq % 10 = 0 THEN 2 ELSE 1 END,
           CASE WHEN e.seq % 200 = 0 THEN NULL ELSE e.created_at + (20 + e.seq % 900) * interval '1 millisecond'
                + CASE WHEN e.seq % 10 = 0 THEN interval '5 seconds' ELSE interval '0' END END,
           CASE WHEN e.seq % 200 = 0 THEN e.created_at + interval '27 hours' END,
           e.created_at
    FROM events e JOIN partners p ON p.id = e.partner_id
    WHERE e.type = 'inventory.updated' AND e.seq % 4 = 0;
    INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt_number, trigger, started_at, duration_ms, response_status, request_headers)
    SELECT d.id, d.endpoint_id, n, (CASE WHEN n = 1 THEN 'SCHEDULED' ELSE 'RETRY' END)::"AttemptTrigger",
           d.created_at + (n - 1) * interval '5 seconds', 15 + (length(d.id) * 37 + n * 101) % 700,
           CASE WHEN n < d.attempt_count OR d.status = 'DEAD' THEN 503 ELSE 200 END, '{}'::jsonb
    FROM webhook_deliveries d, generate_series(1, d.attempt_count) n;
  `);
  // Partner API requests, sign-ins, reconciliation runs.
  await client.query(`
    WITH p AS (SELECT array_agg(id ORDER BY code) ids FROM partners)
    INSERT INTO api_request_log (partner_id, method, route, status, code, duration_ms, correlation_id, replayed, created_at)
    SELECT CASE WHEN g % 50 = 0 THEN NULL ELSE p.ids[1 + g % 3] END,
           CASE WHEN g % 3 = 0 THEN 'GET' ELSE 'POST' END,
           CASE WHEN g % 3 = 0 THEN '/api/v1/availability' ELSE '/api/v1/bookings' END,
           CASE WHEN g % 50 = 0 THEN 401 WHEN g % 97 = 0 THEN 429 WHEN g % 13 = 0 THEN 409 ELSE 201 END,
           CASE WHEN g % 13 = 0 THEN 'INVENTORY_UNAVAILABLE' END, 20, 'cor_bench_' || g, g % 31 = 0,
           now() - interval '${span}' + (g::float8 / 300000) * interval '${span}'
    FROM generate_series(1, 300000) g, p;
    INSERT INTO audit_entries (occurred_at, actor_type, actor_label, action, target_type, result)
    SELECT now() - interval '${span}' + (g::float8 / 10000) * interval '${span}', 'USER', 'someone', 'auth.sign_in', 'user',
           (CASE WHEN g % 7 = 0 THEN 'FAILED' ELSE 'SUCCESS' END)::"AuditResult"
    FROM generate_series(1, 10000) g;
    INSERT INTO reconciliation_runs (id, trigger, status, started_at)
    SELECT 'rec_bench_' || g, (CASE WHEN g % 6 = 0 THEN 'MANUAL' ELSE 'SCHEDULED' END)::"RunTrigger", 'SUCCEEDED',
           now() - interval '${span}' + g * interval '1 hour'
    FROM generate_series(1, ${DAYS * 24}) g;
  `);
  // 100k bookings: one live (moved in) per unit, the rest moved out or expired before.
  await client.query(`
    WITH u AS (SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, facility_id, unit_type_id, pool_id FROM units),
         p AS (SELECT array_agg(id ORDER BY code) ids FROM partners), n AS (SELECT count(*) c FROM units)
    INSERT INTO bookings (reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference,
                          customer_name, customer_email, move_in_date, status, hold_expires_at, confirmed_at, fulfilled_at,
                          expired_at, cancelled_at, cancel_reason, monthly_rate_cents, inventory_version, created_at)
    SELECT 'BK-BENCH-' || g, p.ids[1 + g % 3], u.facility_id, u.unit_type_id, u.pool_id, u.id, 'PBR-' || g, 'Bench Customer',
           'bench@example.com', current_date,
           (CASE WHEN g >= 100000 - n.c THEN 'FULFILLED' WHEN g % 4 = 0 THEN 'EXPIRED' ELSE 'CANCELLED' END)::"BookingStatus",
           t.at + interval '15 minutes',
           CASE WHEN g % 4 <> 0 OR g >= 100000 - n.c THEN t.at + interval '5 minutes' END,
           CASE WHEN g % 4 <> 0 OR g >= 100000 - n.c THEN t.at + interval '2 hours' END,
           CASE WHEN g % 4 = 0 AND g < 100000 - n.c THEN t.at + interval '15 minutes' END,
           CASE WHEN g % 4 <> 0 AND g < 100000 - n.c THEN t.at + interval '3 days' END,
           CASE WHEN g % 4 <> 0 AND g < 100000 - n.c THEN 'move-out' END,
           12900, 1, t.at
    FROM generate_series(0, 99999) g
    CROSS JOIN p CROSS JOIN n
    JOIN u ON u.i = g % n.c
    CROSS JOIN LATERAL (SELECT now() - interval '${span}' + (g::float8 / 100000) * interval '${DAYS - 3} days' AS at) t;
    ANALYZE;
  `);
  const counts = await client.query<{ table: string; n: string }>(`
    SELECT 'events' AS table, count(*)::text AS n FROM events UNION ALL SELECT 'bookings', count(*)::text FROM bookings
    UNION ALL SELECT 'webhook_deliveries', count(*)::text FROM webhook_deliveries UNION ALL SELECT 'webhook_attempts', count(*)::text FROM webhook_attempts
    UNION ALL SELECT 'api_request_log', count(*)::text FROM api_request_log UNION ALL SELECT 'audit_entries', count(*)::text FROM audit_entries`);
  return Object.fromEntries(counts.rows.map((row) => [row.table, Number(row.n)]));
}

/** The baseline: what a plain aggregate of the same facts by hour costs, table by table. */
const BASELINE = [
  `SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '2000-01-01Z'), facility_id, partner_id, type, count(*) FROM events GROUP BY 1, 2, 3, 4`,
  `SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '2000-01-01Z'), partner_id, method, status, replayed, count(*) FROM api_request_log GROUP BY 1, 2, 3, 4, 5`,
  `SELECT date_bin('1 hour', started_at, TIMESTAMPTZ '2000-01-01Z'), endpoint_id, response_status / 100, count(*), sum(duration_ms) FROM webhook_attempts GROUP BY 1, 2, 3`,
  `SELECT date_bin('1 hour', coalesce(succeeded_at, dead_at), TIMESTAMPTZ '2000-01-01Z'), endpoint_id, status, count(*) FROM webhook_deliveries GROUP BY 1, 2, 3`,
  `SELECT date_bin('1 hour', fulfilled_at, TIMESTAMPTZ '2000-01-01Z'), facility_id, partner_id, count(*) FROM bookings GROUP BY 1, 2, 3`,
  `SELECT date_bin('1 hour', occurred_at, TIMESTAMPTZ '2000-01-01Z'), result, count(*) FROM audit_entries WHERE action = 'auth.sign_in' GROUP BY 1, 2`,
  `SELECT date_bin('1 hour', started_at, TIMESTAMPTZ '2000-01-01Z'), trigger, count(*) FROM reconciliation_runs GROUP BY 1, 2`,
];

export async function benchRollup(options: { log?: (line: string) => void } = {}): Promise<RollupBenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const db = await benchDatabase("kpi_rollup");
  process.env.DATABASE_URL = db.url;
  process.env.LOG_LEVEL = "silent";
  const { createPrismaClient } = await import("../../server/db");
  const { rollupKpis } = await import("../../server/domain/kpis/rollup-kpis");
  const { getKpiDashboard } = await import("../../server/domain/kpis/get-kpi-dashboard");
  const { systemActor } = await import("../../server/domain/shared/actor");
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const prisma = createPrismaClient(db.url, 4);
  try {
    log(`Generating ${EVENTS.toLocaleString("en-GB")} events over ${DAYS} days and the rows around them…`);
    let rows: Record<string, number> = {};
    const generated = await time(async () => {
      rows = await generate(client);
    });
    log(`  ${Object.entries(rows).map(([table, n]) => `${table} ${n.toLocaleString("en-GB")}`).join(", ")} (${(generated / 1000).toFixed(1)} s)`);

    // Warm both the same way: one untimed pass of the baseline reads every table once.
    for (const sql of BASELINE) await client.query(sql);
    const baselineMs = await time(async () => {
      for (const sql of BASELINE) await client.query(sql);
    });
    let steps: Record<string, number> = {};
    const rollupMs = await time(async () => {
      steps = (await rollupKpis({ db: prisma, full: true })).stepsMs;
    });
    let incrementalSteps: Record<string, number> = {};
    const incrementalMs = await time(async () => {
      incrementalSteps = (await rollupKpis({ db: prisma })).stepsMs;
    });
    // the dashboard reads through getDb(), i.e. DATABASE_URL set above
    const dashboardMs = await time(() => getKpiDashboard(systemActor("bench", "cor_bench"), { range: "90d" }));
    const buckets = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM kpi_buckets`);
    const ratio = rollupMs / baselineMs;

    log("");
    log(`baseline (plain GROUP BY per table, by hour)   ${(baselineMs / 1000).toFixed(2).padStart(7)} s`);
    log(`KPI roll-up, full (hourly + daily buckets)     ${(rollupMs / 1000).toFixed(2).padStart(7)} s   ${ratio.toFixed(2)}× the baseline`);
    log(`  by step (ms): ${Object.entries(steps).map(([name, ms]) => `${name} ${ms}`).join(", ")}`);
    log(`KPI roll-up, incremental (the minute job)      ${(incrementalMs / 1000).toFixed(2).padStart(7)} s`);
    log(`  by step (ms): ${Object.entries(incrementalSteps).map(([name, ms]) => `${name} ${ms}`).join(", ")}`);
    log(`dashboard read, 90 days of every KPI           ${(dashboardMs / 1000).toFixed(2).padStart(7)} s   (${Number(buckets.rows[0]!.n).toLocaleString("en-GB")} bucket rows in all)`);
    return { events: rows.events ?? EVENTS, rows, rollupMs, baselineMs, ratio, incrementalMs, dashboardMs };
  } finally {
    await client.end();
    await prisma.$disconnect();
    const { disconnectDb } = await import("../../server/db");
    await disconnectDb();
    await db.stop();
  }
}

if (process.argv[1]?.replaceAll("\\", "/").endsWith("bench/reconcile/rollup.ts")) {
  benchRollup().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
