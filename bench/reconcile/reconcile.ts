// bench/reconcile (reconcile half) — the time to reconcile 100k units, beside a baseline
// measured in the same run on the same data: one plain SQL aggregate computing the same
// counter comparison (each pool's counters against its units' statuses). Reconciliation
// does more than the baseline (unit statuses against bookings and blocks, a keyset batch
// loop, merging into discrepancies with dedupe, progress), so the ratio says what that
// costs. Run: npx tsx bench/reconcile/reconcile.ts  (BENCH_UNITS, BENCH_POOL_SIZE, BENCH_REPEAT)
import { pathToFileURL } from "node:url";
import pg from "pg";
import { benchDatabase } from "../lib";

export interface ReconcileBenchResult {
  units: number;
  pools: number;
  faults: number;
  baselineMs: number;
  countersMs: number;
  fullMs: number;
  /** reconciliation (counters check) time ÷ baseline time */
  countersRatio: number;
  fullRatio: number;
}


/**
 * The data, set-based: facilities of 100 pools, units spread over statuses, the live
 * bookings and access grants those statuses imply (so the unit check has facts to
 * compare), pool counters from the units, then a few planted counter faults.
 */
async function buildReconcileData(raw: pg.Client, units: number, poolSize: number): Promise<void> {
  const pools = Math.ceil(units / poolSize);
  await raw.query(`
    INSERT INTO partners (id, code, name, kind) VALUES ('00000000-0000-0000-0000-0000000000aa', 'BENCH', 'Bench', 'OTHER');
    INSERT INTO facilities (id, code, name, timezone, address_line1, city, postal_code, country, access_hours)
    SELECT ('00000000-0000-0000-0001-' || lpad(f::text, 12, '0'))::uuid, 'B-' || f, 'Bench ' || f, 'UTC', '1', 'X', '1', 'GB', '24/7'
    FROM generate_series(0, ${Math.ceil(pools / 100) - 1}) f;
    INSERT INTO unit_types (id, facility_id, code, name, width_ft, depth_ft, area_sq_ft, climate_controlled, monthly_rate_cents)
    SELECT ('00000000-0000-0000-0002-' || lpad(p::text, 12, '0'))::uuid, ('00000000-0000-0000-0001-' || lpad((p / 100)::text, 12, '0'))::uuid,
           'T' || p, 'T' || p, 10, 10, 100, false, 10000
    FROM generate_series(0, ${pools - 1}) p;
    INSERT INTO inventory_pools (id, facility_id, unit_type_id, inventory_version)
    SELECT ('00000000-0000-0000-0003-' || lpad(p::text, 12, '0'))::uuid, ('00000000-0000-0000-0001-' || lpad((p / 100)::text, 12, '0'))::uuid,
           ('00000000-0000-0000-0002-' || lpad(p::text, 12, '0'))::uuid, 10
    FROM generate_series(0, ${pools - 1}) p;
    INSERT INTO units (facility_id, unit_type_id, pool_id, code, status)
    SELECT ('00000000-0000-0000-0001-' || lpad(((i / ${poolSize}) / 100)::text, 12, '0'))::uuid,
           ('00000000-0000-0000-0002-' || lpad((i / ${poolSize})::text, 12, '0'))::uuid,
           ('00000000-0000-0000-0003-' || lpad((i / ${poolSize})::text, 12, '0'))::uuid,
           'U' || i,
           (CASE WHEN i % 10 < 5 THEN 'AVAILABLE' WHEN i % 10 < 6 THEN 'HELD' WHEN i % 10 < 7 THEN 'BOOKED' WHEN i % 10 < 9 THEN 'OCCUPIED' ELSE 'AVAILABLE' END)::"UnitStatus"
    FROM generate_series(0, ${units - 1}) i;
    INSERT INTO bookings (reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference, customer_name,
                          customer_email, move_in_date, status, hold_expires_at, monthly_rate_cents, inventory_version)
    SELECT 'BK-' || u.code, '00000000-0000-0000-0000-0000000000aa', u.facility_id, u.unit_type_id, u.pool_id, u.id, u.code, 'C', 'c@example.com',
           current_date + 7,
           (CASE u.status WHEN 'HELD' THEN 'TENTATIVE' WHEN 'BOOKED' THEN 'CONFIRMED' ELSE 'FULFILLED' END)::"BookingStatus",
           now() + interval '1 hour', 10000, 10
    FROM units u WHERE u.status IN ('HELD', 'BOOKED', 'OCCUPIED');
    INSERT INTO access_grants (booking_id, unit_id, code_ciphertext)
    SELECT b.id, b.unit_id, 'x' FROM bookings b WHERE b.status = 'FULFILLED';
    UPDATE inventory_pools p SET total = c.total, available = c.available, held = c.held, booked = c.booked, occupied = c.occupied, blocked = c.blocked
    FROM (SELECT pool_id, count(*)::int AS total, count(*) FILTER (WHERE status = 'AVAILABLE')::int AS available,
                 count(*) FILTER (WHERE status = 'HELD')::int AS held, count(*) FILTER (WHERE status = 'BOOKED')::int AS booked,
                 count(*) FILTER (WHERE status = 'OCCUPIED')::int AS occupied, count(*) FILTER (WHERE status = 'BLOCKED')::int AS blocked
          FROM units GROUP BY pool_id) c
    WHERE c.pool_id = p.id;
    -- the faults: every 97th pool's counters nudged by one
    UPDATE inventory_pools SET available = available - 1, held = held + 1
    WHERE id IN (SELECT id FROM inventory_pools ORDER BY id OFFSET 3) AND ('x' || substr(md5(id::text), 1, 8))::bit(32)::int % 97 = 0;
    ANALYZE;`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchReconcile(
  options: { units?: number; poolSize?: number; repeat?: number; log?: (line: string) => void } = {},
): Promise<ReconcileBenchResult> {
  const units = options.units ?? Number(process.env.BENCH_UNITS ?? 100_000);
  const poolSize = options.poolSize ?? Number(process.env.BENCH_POOL_SIZE ?? 100);
  const repeat = options.repeat ?? Number(process.env.BENCH_REPEAT ?? 3);
  const log = options.log ?? ((line: string) => console.log(line));
  const pools = Math.ceil(units / poolSize);

  const db = await benchDatabase("reconcile");
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = db.url;
  process.env.LOG_LEVEL = "silent";
  const { disconnectDb } = await import("../../server/db");
  const { runReconciliation } = await import("../../server/domain/reconciliation/run-reconciliation");
  const { parseConfig } = await import("../../server/config");
  const raw = new pg.Client({ connectionString: db.url });
  await raw.connect();
  try {
    const built = performance.now();
    await buildReconcileData(raw, units, poolSize);
    const [{ n: faults }] = (
      await raw.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM inventory_pools p
        JOIN (SELECT pool_id, count(*) FILTER (WHERE status = 'AVAILABLE')::int AS available FROM units GROUP BY pool_id) c ON c.pool_id = p.id
        WHERE c.available <> p.available`)
    ).rows as [{ n: number }];
    log(`built ${units.toLocaleString("en")} units in ${pools} pools (+ bookings, grants, ${faults} counter faults) in ${((performance.now() - built) / 1000).toFixed(1)} s`);

    // Baseline: the same counter comparison as one plain aggregate.
    const baseline = `
      SELECT p.id, p.available, c.available AS units_available
      FROM inventory_pools p
      JOIN (SELECT pool_id, count(*)::int AS total,
                   count(*) FILTER (WHERE status = 'AVAILABLE')::int AS available, count(*) FILTER (WHERE status = 'HELD')::int AS held,
                   count(*) FILTER (WHERE status = 'BOOKED')::int AS booked, count(*) FILTER (WHERE status = 'OCCUPIED')::int AS occupied,
                   count(*) FILTER (WHERE status = 'BLOCKED')::int AS blocked
            FROM units GROUP BY pool_id) c ON c.pool_id = p.id
      WHERE (p.total, p.available, p.held, p.booked, p.occupied, p.blocked) IS DISTINCT FROM (c.total, c.available, c.held, c.booked, c.occupied, c.blocked)`;
    const config = { ...parseConfig({}).reconcile, ackGraceSeconds: 0 };
    // Warm-up, not measured: connections, plans, caches for both contenders.
    await raw.query(baseline);
    await runReconciliation({ trigger: "MANUAL", config });
    const baselineMs: number[] = [];
    const countersMs: number[] = [];
    const fullMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      let t = performance.now();
      const found = await raw.query(baseline);
      baselineMs.push(performance.now() - t);
      if (found.rowCount !== faults) throw new Error(`baseline found ${found.rowCount}, expected ${faults}`);

      t = performance.now();
      const counters = await runReconciliation({ trigger: "MANUAL", checks: ["counters"], config });
      countersMs.push(performance.now() - t);
      if (counters.summary.found?.POOL_COUNTER !== faults) throw new Error(`reconciliation found ${counters.summary.found?.POOL_COUNTER}, expected ${faults}`);

      t = performance.now();
      const full = await runReconciliation({ trigger: "MANUAL", config });
      fullMs.push(performance.now() - t);
      if (full.discrepancyCount !== faults) throw new Error(`the full run found ${full.discrepancyCount}, expected ${faults}`);
      if (process.env.BENCH_VERBOSE) log(`  run ${i + 1}: counters ${JSON.stringify(counters.summary.timings)}, full ${JSON.stringify(full.summary.timings)}`);
    }
    const open = (await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM discrepancies WHERE status = 'OPEN'`)).rows[0]!.n;
    if (open !== faults) throw new Error(`${open} open discrepancies after ${repeat * 2} runs, expected ${faults} (dedupe)`);

    const result: ReconcileBenchResult = {
      units,
      pools,
      faults,
      baselineMs: median(baselineMs),
      countersMs: median(countersMs),
      fullMs: median(fullMs),
      countersRatio: median(countersMs) / median(baselineMs),
      fullRatio: median(fullMs) / median(baselineMs),
    };
    const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
    log(`median of ${repeat} runs, ${units.toLocaleString("en")} units:`);
    log(`  baseline (one SQL aggregate, counters vs units)   ${ms(result.baselineMs)}`);
    log(`  reconcile, counters check (pools + unit statuses) ${ms(result.countersMs)}   ${result.countersRatio.toFixed(1)}× baseline`);
    log(`  reconcile, all checks (+ partners, access)        ${ms(result.fullMs)}   ${result.fullRatio.toFixed(1)}× baseline`);
    return result;
  } finally {
    await raw.end();
    await disconnectDb();
    await db.stop();
    // Leave the process as it was (another benchmark may run after this one).
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchReconcile().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
