// bench/expiry: issue 12 item 3 — expiry of 100k lapsed holds through the service
// (expireAllDue, the inventory tick's call: batch after batch, in lanes side by side),
// beside a plain-SQL baseline measured in the same run: one statement per batch over raw pg
// connections doing the same writes (units, pool counters and versions, bookings, two
// events per hold, one audit entry per hold) without the service's per-step event
// payloads. Both run with one lane and with BENCH_LANES (default the worker's 2), each
// on its own, identical set of holds, built just before it runs. Goal: ≥ 10,000 holds/s.
// Run: npm run bench:expiry  (BENCH_HOLDS, BENCH_POOL_SIZE, BENCH_BATCH, BENCH_LANES)
import pg from "pg";
import { benchDatabase } from "../lib";

const GOAL_PER_SECOND = 10_000;

/** `holds` lapsed holds in pools of `poolSize` units, for facilities prefixed `side` (0, 1, …). */
async function buildHolds(raw: pg.Client, side: number, holds: number, poolSize: number): Promise<void> {
  const pools = Math.ceil(holds / poolSize);
  const id = (kind: number, expr: string) => `('00000000-0000-${side}00${kind}-0000-' || lpad((${expr})::text, 12, '0'))::uuid`;
  await raw.query(`
    INSERT INTO facilities (id, code, name, timezone, address_line1, city, postal_code, country, access_hours)
    SELECT ${id(1, "f")}, 'B${side}-' || f, 'Bench ' || f, 'UTC', '1', 'X', '1', 'GB', '24/7'
    FROM generate_series(0, ${Math.ceil(pools / 100) - 1}) f;
    INSERT INTO unit_types (id, facility_id, code, name, width_ft, depth_ft, area_sq_ft, climate_controlled, monthly_rate_cents)
    SELECT ${id(2, "p")}, ${id(1, "p / 100")}, 'T' || p, 'T' || p, 10, 10, 100, false, 10000
    FROM generate_series(0, ${pools - 1}) p;
    INSERT INTO inventory_pools (id, facility_id, unit_type_id, total, available, held, inventory_version)
    SELECT ${id(3, "p")}, ${id(1, "p / 100")}, ${id(2, "p")}, ${poolSize}, 0, ${poolSize}, ${poolSize}
    FROM generate_series(0, ${pools - 1}) p;
    INSERT INTO units (facility_id, unit_type_id, pool_id, code, status)
    SELECT ${id(1, `(i / ${poolSize}) / 100`)}, ${id(2, `i / ${poolSize}`)}, ${id(3, `i / ${poolSize}`)}, 'U' || i, 'HELD'
    FROM generate_series(0, ${pools * poolSize - 1}) i;
    INSERT INTO bookings (reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference, customer_name,
                          customer_email, move_in_date, status, hold_expires_at, monthly_rate_cents, inventory_version)
    SELECT 'BK-${side}' || u.code, '00000000-0000-0000-0000-0000000000aa', u.facility_id, u.unit_type_id, u.pool_id, u.id, u.code, 'C',
           'c@example.com', current_date + 7, 'TENTATIVE', now() - interval '1 minute' * (1 + random() * 60), 10000, 1
    FROM units u WHERE u.facility_id IN (SELECT id FROM facilities WHERE code LIKE 'B${side}-%');
    ANALYZE;`);
}

/** The baseline: one plain statement per batch, the same rows written, for side $2's facilities and lane $3 of $4 only. */
const BASELINE = `
  WITH due AS (
    SELECT id, unit_id, pool_id, reference, partner_id, facility_id, hold_expires_at FROM bookings
    WHERE status = 'TENTATIVE' AND hold_expires_at <= now() AND facility_id IN (SELECT id FROM facilities WHERE code LIKE 'B' || $2::int || '-%')
      AND (hashtext(pool_id::text) & 2147483647) % $4::int = $3::int
    ORDER BY hold_expires_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
  ), b AS (
    UPDATE bookings SET status = 'EXPIRED', expired_at = now(), version = version + 1, last_event_at = now(), updated_at = now()
    FROM due WHERE bookings.id = due.id RETURNING bookings.id, bookings.version
  ), u AS (
    UPDATE units SET status = 'AVAILABLE', status_changed_at = now() FROM due WHERE units.id = due.unit_id RETURNING units.id
  ), p AS (
    UPDATE inventory_pools SET held = held - c.k, available = available + c.k, inventory_version = inventory_version + c.k, updated_at = now()
    FROM (SELECT pool_id, count(*)::int AS k FROM due GROUP BY pool_id) c WHERE inventory_pools.id = c.pool_id
    RETURNING inventory_pools.id, inventory_pools.inventory_version
  ), e AS (
    INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id, booking_id, correlation_id, data)
    SELECT 'evt_' || gen_random_uuid(), 'inventory.updated', 'pool', due.pool_id::text, p.inventory_version, due.facility_id, due.partner_id,
           due.id, 'cor_bench', jsonb_build_object('inventory_version', p.inventory_version, 'cause', 'booking.expired')
    FROM due JOIN p ON p.id = due.pool_id
    UNION ALL
    SELECT 'evt_' || gen_random_uuid(), 'booking.expired', 'booking', due.id::text, b.version, due.facility_id, due.partner_id, due.id,
           'cor_bench', jsonb_build_object('reference', due.reference, 'status', 'expired', 'hold_expired_at', due.hold_expires_at)
    FROM due JOIN b ON b.id = due.id
  ), a AS (
    INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result, correlation_id)
    SELECT 'SYSTEM', 'bench', 'system:bench', 'booking.expire', 'booking', due.reference, due.facility_id, 'SUCCESS', 'cor_bench' FROM due
  )
  SELECT count(*)::int AS n FROM due`;

async function main() {
  const holds = Number(process.env.BENCH_HOLDS ?? 100_000);
  const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 100);
  const db = await benchDatabase("expiry");
  process.env.DATABASE_URL = db.url;
  process.env.LOG_LEVEL = "silent";
  const { disconnectDb } = await import("../../server/db");
  const { config } = await import("../../server/config");
  const { expireAllDue, EXPIRY_BATCH } = await import("../../server/domain/bookings/expire-holds");
  const batch = Number(process.env.BENCH_BATCH ?? EXPIRY_BATCH);
  const lanes = Number(process.env.BENCH_LANES ?? config().worker.expiryLanes);
  const clients = await Promise.all(
    Array.from({ length: Math.max(1, lanes) }, async () => {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      return client;
    }),
  );
  const raw = clients[0]!;
  try {
    await raw.query(`INSERT INTO partners (id, code, name, kind) VALUES ('00000000-0000-0000-0000-0000000000aa', 'BENCH', 'Bench', 'OTHER')`);
    let side = 0;
    /** builds a fresh side of `holds` lapsed holds, then times `run` over it */
    const measure = async (run: (side: number) => Promise<number>) => {
      const built = performance.now();
      await buildHolds(raw, side, holds, poolSize);
      const buildSeconds = (performance.now() - built) / 1000;
      const t = performance.now();
      const expired = await run(side);
      const seconds = (performance.now() - t) / 1000;
      if (expired !== holds) throw new Error(`side ${side} expired ${expired}, expected ${holds}`);
      side++;
      return { rate: expired / seconds, seconds, buildSeconds };
    };
    const baseline = (laneCount: number) =>
      measure(async (side) => {
        const counts = await Promise.all(
          Array.from({ length: laneCount }, async (_, lane) => {
            let expired = 0;
            for (let n = batch; n === batch; ) {
              n = (await clients[lane]!.query<{ n: number }>(BASELINE, [batch, side, lane, laneCount])).rows[0]!.n;
              expired += n;
            }
            return expired;
          }),
        );
        return counts.reduce((a, b) => a + b, 0);
      });
    // the service expires every lapsed hold: each side is built only when its turn comes
    const service = (laneCount: number) => measure(() => expireAllDue({ lanes: laneCount, limit: batch, correlationId: "cor_bench_expiry" }));

    const results: [string, { rate: number; seconds: number; buildSeconds: number }][] = [];
    results.push(["plain-SQL baseline, 1 lane", await baseline(1)]);
    results.push(["expireAllDue, 1 lane", await service(1)]);
    if (lanes > 1) {
      results.push([`plain-SQL baseline, ${lanes} lanes`, await baseline(lanes)]);
      results.push([`expireAllDue, ${lanes} lanes`, await service(lanes)]);
    }

    const faults = (
      await raw.query<{ n: number }>(`
        SELECT count(*)::int AS n FROM inventory_pools p
        JOIN (SELECT pool_id, count(*) FILTER (WHERE status = 'AVAILABLE')::int AS available, count(*) FILTER (WHERE status = 'HELD')::int AS held
              FROM units GROUP BY pool_id) c ON c.pool_id = p.id
        WHERE (c.available, c.held) IS DISTINCT FROM (p.available, p.held) OR p.inventory_version <> ${poolSize} * 2`)
    ).rows[0]!.n;
    if (faults) throw new Error(`${faults} pools whose counters or versions do not match their units after expiry`);

    console.log(`${holds.toLocaleString("en")} lapsed holds in pools of ${poolSize} per contender, batch ${batch}; every pool's counters and version checked against its units afterwards`);
    for (const [name, r] of results) {
      const againstBaseline = name.startsWith("expireAllDue")
        ? `, ${(results.find(([n]) => n === name.replace("expireAllDue", "plain-SQL baseline"))![1].rate / r.rate).toFixed(2)}× the baseline's time`
        : "";
      const goal = name.startsWith("expireAllDue")
        ? ` — goal ≥ ${GOAL_PER_SECOND.toLocaleString("en")} holds/s: ${r.rate >= GOAL_PER_SECOND ? "met" : "MISSED"}`
        : "";
      console.log(`  ${name.padEnd(32)} ${Math.round(r.rate).toLocaleString("en").padStart(6)} holds/s (${r.seconds.toFixed(1)} s; built in ${r.buildSeconds.toFixed(1)} s)${againstBaseline}${goal}`);
    }
    if (lanes > 1) {
      console.log(`  ${lanes} lanes vs 1: baseline ${(results[2]![1].rate / results[0]![1].rate).toFixed(2)}×, expireAllDue ${(results[3]![1].rate / results[1]![1].rate).toFixed(2)}×`);
    }
  } finally {
    await Promise.all(clients.map((c) => c.end()));
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
