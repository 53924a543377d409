import { getDb, type Db } from "../../db";
import type { Tx } from "@/server/domain/shared/tx";
import { BIN_THRESHOLDS_MS } from "./histogram";
import { METRIC, NONE_ID, SNAPSHOT_PREFIX } from "./metrics";

/**
 * The KPI roll-up (docs/domain.md#kpis): counts the facts of the last hours into hourly
 * buckets of kpi_buckets / kpi_bucket_bins, then rebuilds the touched days' daily buckets
 * from the hourly ones — so charts read a few hundred rows, never the millions they
 * summarise.
 *
 * Incremental: a run replaces the hourly buckets from (watermark − margin), floored to
 * the hour, up to now, and the daily buckets of those days; the first run (no watermark)
 * starts at the oldest fact. The margin lets rows that arrive late with an earlier
 * timestamp (a long transaction's events carry its start time, an attempt is stored when
 * it ends) land in their own bucket on the next run. Every fact is bucketed by a time
 * that is fixed once written — an outcome's own time (a confirmation, an expiry, an
 * acknowledgement, a dead-letter), never the time of the booking it belongs to — so old
 * buckets do not change afterwards.
 *
 * Idempotent and safe to run concurrently: one transaction, under an advisory lock, that
 * deletes the window's buckets and inserts them afresh; a second run waits, then
 * recomputes the same values. Readers see the old buckets or the new, never half.
 */

const ROLLUP_STATE_ID = "kpi";
/** recompute this far behind the last run's end (late data lands within it) */
const DEFAULT_MARGIN_MS = 3 * 60 * 60 * 1000;
const ROLLUP_LOCK_KEY = 0x6b70695f726f6c6cn;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface RollupOptions {
  db?: Db;
  /** the run's "now": facts at or after it are left for a later run */
  now?: Date;
  marginMs?: number;
  /**
   * recompute everything from the oldest fact (a backfill). It counts only the facts still
   * stored: api_request_log keeps 30 days, so older API buckets are rebuilt empty — the
   * minute job never does this, the seed does it once on a fresh database.
   */
  full?: boolean;
}

export interface RollupResult {
  /** first hourly bucket recomputed */
  from: Date;
  /** end of the facts counted (the run's now) */
  to: Date;
  full: boolean;
  hourlyRows: number;
  dailyRows: number;
  durationMs: number;
  /** time per source (and the daily pass), for the log and the benchmark */
  stepsMs: Record<string, number>;
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const floorDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

export async function rollupKpis(options: RollupOptions = {}): Promise<RollupResult> {
  const db = options.db ?? getDb();
  const started = performance.now();
  const to = options.now ?? new Date();
  const marginMs = options.marginMs ?? DEFAULT_MARGIN_MS;
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${ROLLUP_LOCK_KEY})`;
      const state = await tx.kpiRollupState.findUnique({ where: { id: ROLLUP_STATE_ID } });
      const full = options.full === true || !state;
      let fromMs: number;
      if (full) {
        const oldest = await oldestFact(tx);
        fromMs = floorHour(Math.min(oldest?.getTime() ?? to.getTime(), to.getTime() - 1));
      } else {
        fromMs = floorHour(Math.min(state.watermark.getTime(), to.getTime()) - marginMs);
      }
      const from = new Date(fromMs);
      // the hour bucket holding the last instant counted
      const lastHour = new Date(floorHour(to.getTime() - 1));
      const dayFrom = new Date(floorDay(fromMs));

      await tx.$executeRaw`DELETE FROM kpi_bucket_bins WHERE bucket_size = 'HOUR' AND bucket_start >= ${from}`;
      await tx.$executeRaw`DELETE FROM kpi_buckets WHERE bucket_size = 'HOUR' AND bucket_start >= ${from}`;
      let hourlyRows = 0;
      const stepsMs: Record<string, number> = {};
      for (const [name, step] of Object.entries(HOURLY_STEPS)) {
        const stepStarted = performance.now();
        hourlyRows += await step(tx, { from, to, lastHour });
        stepsMs[name] = Math.round(performance.now() - stepStarted);
      }

      await tx.$executeRaw`DELETE FROM kpi_bucket_bins WHERE bucket_size = 'DAY' AND bucket_start >= ${dayFrom}`;
      await tx.$executeRaw`DELETE FROM kpi_buckets WHERE bucket_size = 'DAY' AND bucket_start >= ${dayFrom}`;
      const daysStarted = performance.now();
      const dailyRows = await rollupDays(tx, dayFrom, lastHour);
      stepsMs.days = Math.round(performance.now() - daysStarted);

      const durationMs = Math.round(performance.now() - started);
      await tx.kpiRollupState.upsert({
        where: { id: ROLLUP_STATE_ID },
        create: { id: ROLLUP_STATE_ID, watermark: to, lastRunAt: new Date(), lastDurationMs: durationMs, runs: 1 },
        update: { watermark: to, lastRunAt: new Date(), lastDurationMs: durationMs, runs: { increment: 1 } },
      });
      return { from, to, full, hourlyRows, dailyRows, durationMs, stepsMs };
    },
    { maxWait: 60_000, timeout: 30 * 60_000 },
  );
}

/** The oldest timestamp any KPI is counted from (each an indexed column). */
async function oldestFact(tx: Tx): Promise<Date | null> {
  const rows = await tx.$queryRaw<{ oldest: Date | null }[]>`
    SELECT least(
      (SELECT min(created_at) FROM events),
      (SELECT min(created_at) FROM api_request_log),
      (SELECT min(occurred_at) FROM audit_entries WHERE action = 'auth.sign_in'),
      (SELECT min(started_at) FROM webhook_attempts),
      (SELECT min(started_at) FROM reconciliation_runs),
      (SELECT min(created_at) FROM bookings)
    ) AS oldest`;
  return rows[0]?.oldest ?? null;
}

interface Window {
  /** first hour bucket (inclusive) */
  from: Date;
  /** facts before this instant */
  to: Date;
  /** last hour bucket */
  lastHour: Date;
}

type HourlyStep = (tx: Tx, w: Window) => Promise<number>;

const thresholds = () => [...BIN_THRESHOLDS_MS];

/** Partner API requests (api_request_log): hold success, duplicates, 429s, 401s. */
const apiRequests: HourlyStep = (tx, { from, to }) => tx.$executeRaw`
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT m.metric, 'HOUR', g.h, ${NONE_ID}::uuid, g.partner_id, m.count, m.total, 0
  FROM (
    SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '2000-01-01Z') AS h, coalesce(partner_id, ${NONE_ID}::uuid) AS partner_id,
      count(*) FILTER (WHERE method = 'POST' AND route = '/api/v1/bookings' AND NOT replayed
                         AND code IS DISTINCT FROM 'IDEMPOTENCY_KEY_IN_USE') AS hold_requests,
      count(*) FILTER (WHERE method = 'POST' AND route = '/api/v1/bookings' AND NOT replayed
                         AND status BETWEEN 200 AND 299) AS holds_ok,
      count(*) FILTER (WHERE method = 'POST') AS posts,
      count(*) FILTER (WHERE method = 'POST' AND (replayed OR code = 'IDEMPOTENCY_KEY_IN_USE')) AS duplicates,
      count(*) AS requests,
      count(*) FILTER (WHERE status = 429) AS limited,
      count(*) FILTER (WHERE status = 401) AS unauthenticated
    FROM api_request_log
    WHERE created_at >= ${from} AND created_at < ${to}
    GROUP BY 1, 2
  ) g
  CROSS JOIN LATERAL (VALUES
    (${METRIC.holdRequests}, g.holds_ok, g.hold_requests),
    (${METRIC.duplicates}, g.duplicates, g.posts),
    (${METRIC.rateLimited}, g.limited, g.requests),
    (${METRIC.apiUnauthenticated}, g.unauthenticated, g.requests)
  ) AS m(metric, count, total)
  WHERE m.total > 0`;

/** Console sign-ins (audit_entries): refused ones are auth failures. */
const signIns: HourlyStep = (tx, { from, to }) => tx.$executeRaw`
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT ${METRIC.signIns}, 'HOUR', date_bin('1 hour', occurred_at, TIMESTAMPTZ '2000-01-01Z'), ${NONE_ID}::uuid, ${NONE_ID}::uuid,
         count(*) FILTER (WHERE result <> 'SUCCESS'), count(*), 0
  FROM audit_entries
  WHERE action = 'auth.sign_in' AND occurred_at >= ${from} AND occurred_at < ${to}
  GROUP BY 3`;

/** Hold outcomes from the booking events, each in the bucket of its own event. */
const holdEvents: HourlyStep = (tx, { from, to }) => tx.$executeRaw`
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT m.metric, 'HOUR', g.h, g.f, g.p, m.count, 0, 0
  FROM (
    SELECT date_bin('1 hour', created_at, TIMESTAMPTZ '2000-01-01Z') AS h,
      coalesce(facility_id, ${NONE_ID}::uuid) AS f, coalesce(partner_id, ${NONE_ID}::uuid) AS p,
      count(*) FILTER (WHERE type = 'booking.held') AS held,
      count(*) FILTER (WHERE type = 'booking.confirmed') AS confirmed,
      count(*) FILTER (WHERE type = 'booking.expired') AS expired,
      count(*) FILTER (WHERE type = 'booking.cancelled' AND data->>'previous_status' = 'tentative') AS released
    FROM events
    WHERE type IN ('booking.held', 'booking.confirmed', 'booking.expired', 'booking.cancelled')
      AND created_at >= ${from} AND created_at < ${to}
    GROUP BY 1, 2, 3
  ) g
  CROSS JOIN LATERAL (VALUES
    (${METRIC.holdsCreated}, g.held),
    (${METRIC.holdsConfirmed}, g.confirmed),
    (${METRIC.holdsExpired}, g.expired),
    (${METRIC.holdsReleased}, g.released)
  ) AS m(metric, count)
  WHERE m.count > 0`;

/** Webhook attempts by start: 2xx share and the duration's bins (test pings left out). */
const webhookAttempts: HourlyStep = async (tx, { from, to }) => tx.$executeRaw`
  WITH a AS (
    SELECT date_bin('1 hour', wa.started_at, TIMESTAMPTZ '2000-01-01Z') AS h, coalesce(e.facility_id, ${NONE_ID}::uuid) AS f,
           ep.partner_id AS p, wa.response_status, wa.duration_ms
    FROM webhook_attempts wa
    JOIN webhook_deliveries d ON d.id = wa.delivery_id
    JOIN events e ON e.id = d.event_id
    JOIN webhook_endpoints ep ON ep.id = wa.endpoint_id
    WHERE wa.trigger <> 'TEST' AND wa.started_at >= ${from} AND wa.started_at < ${to}
  ), bins AS (
    INSERT INTO kpi_bucket_bins (metric, bucket_size, bucket_start, facility_id, partner_id, bin, count)
    SELECT ${METRIC.webhookAttempts}, 'HOUR', h, f, p, width_bucket(duration_ms::float8, ${thresholds()}::float8[]), count(*)
    FROM a WHERE duration_ms IS NOT NULL
    GROUP BY h, f, p, 6
  )
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT ${METRIC.webhookAttempts}, 'HOUR', h, f, p,
         count(*) FILTER (WHERE response_status BETWEEN 200 AND 299), count(*), coalesce(sum(duration_ms), 0)
  FROM a GROUP BY h, f, p`;

/** Deliveries dead-lettered, in the bucket of their dead_at. */
const deadLetters: HourlyStep = (tx, { from, to }) => tx.$executeRaw`
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT ${METRIC.webhookDead}, 'HOUR', date_bin('1 hour', d.dead_at, TIMESTAMPTZ '2000-01-01Z'), coalesce(e.facility_id, ${NONE_ID}::uuid),
         ep.partner_id, count(*), 0, 0
  FROM webhook_deliveries d
  JOIN events e ON e.id = d.event_id
  JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
  WHERE d.dead_at >= ${from} AND d.dead_at < ${to}
  GROUP BY 3, 4, 5`;

/** inventory.updated acknowledged by a partner (2xx): lag from the event's commit, in the bucket of the 2xx. */
const syncLag: HourlyStep = (tx, { from, to }) => tx.$executeRaw`
  WITH s AS (
    SELECT date_bin('1 hour', d.succeeded_at, TIMESTAMPTZ '2000-01-01Z') AS h, coalesce(e.facility_id, ${NONE_ID}::uuid) AS f,
           ep.partner_id AS p, greatest(0, extract(epoch FROM d.succeeded_at - e.created_at) * 1000)::float8 AS lag_ms
    FROM webhook_deliveries d
    JOIN events e ON e.id = d.event_id AND e.type = 'inventory.updated'
    JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
    WHERE d.succeeded_at >= ${from} AND d.succeeded_at < ${to}
  ), bins AS (
    INSERT INTO kpi_bucket_bins (metric, bucket_size, bucket_start, facility_id, partner_id, bin, count)
    SELECT ${METRIC.syncLag}, 'HOUR', h, f, p, width_bucket(lag_ms, ${thresholds()}::float8[]), count(*)
    FROM s GROUP BY h, f, p, 6
  )
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT ${METRIC.syncLag}, 'HOUR', h, f, p, count(*), 0, sum(lag_ms) FROM s GROUP BY h, f, p`;

/** Reconciliation runs by start; MANUAL ones are the KPI. */
const reconciliationRuns: HourlyStep = (tx, { from, to }) => tx.$executeRaw`
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT ${METRIC.reconciliationRuns}, 'HOUR', date_bin('1 hour', started_at, TIMESTAMPTZ '2000-01-01Z'), ${NONE_ID}::uuid, ${NONE_ID}::uuid,
         count(*) FILTER (WHERE trigger = 'MANUAL'), count(*), 0
  FROM reconciliation_runs
  WHERE started_at >= ${from} AND started_at < ${to}
  GROUP BY 3`;

/**
 * Occupancy at each hour's end (or now, for the current hour), from the bookings' own
 * times: a unit is occupied from its booking's move-in (fulfilled_at) until its move-out
 * (cancelled_at), booked from confirmation until move-in or cancellation. Computed as a
 * running sum of those changes per facility and partner, so a backfill of months costs
 * one pass over the bookings, not one per hour.
 */
const occupancy: HourlyStep = (tx, { from, to, lastHour }) => tx.$executeRaw`
  WITH sized AS (
    SELECT b.facility_id AS f, b.partner_id AS p, b.confirmed_at, b.fulfilled_at, b.cancelled_at,
           least(b.fulfilled_at, b.cancelled_at) AS booked_until, ut.area_sq_ft::float8 AS area, b.monthly_rate_cents::float8 AS rent
    FROM bookings b JOIN unit_types ut ON ut.id = b.unit_type_id
    WHERE (b.confirmed_at IS NOT NULL OR b.fulfilled_at IS NOT NULL)
      -- only bookings live at the window's start or changed since: the rest add nothing
      AND (b.status IN ('CONFIRMED', 'FULFILLED') OR b.confirmed_at >= ${from} OR b.fulfilled_at >= ${from} OR b.cancelled_at >= ${from})
  ), initial AS (
    -- the state at the window's start: bookings in, or booked, at that instant
    SELECT f, p, ${from}::timestamptz - interval '1 hour' AS h,
           count(*) FILTER (WHERE occupied) AS du, coalesce(sum(area) FILTER (WHERE occupied), 0) AS da,
           coalesce(sum(rent) FILTER (WHERE occupied), 0) AS dr, count(*) FILTER (WHERE booked) AS db
    FROM sized
    CROSS JOIN LATERAL (SELECT
      fulfilled_at < ${from} AND coalesce(cancelled_at, 'infinity') >= ${from} AS occupied,
      confirmed_at < ${from} AND coalesce(booked_until, 'infinity') >= ${from} AS booked) AS s
    WHERE s.occupied OR s.booked
    GROUP BY 1, 2
  ), deltas AS (
    -- what changed inside the window
    SELECT f, p, v.t, v.du, v.da, v.dr, v.db
    FROM sized
    CROSS JOIN LATERAL (VALUES
      (fulfilled_at, 1, area, rent, 0),
      (CASE WHEN fulfilled_at IS NOT NULL THEN cancelled_at END, -1, -area, -rent, 0),
      (confirmed_at, 0, 0::float8, 0::float8, 1),
      (CASE WHEN confirmed_at IS NOT NULL THEN booked_until END, 0, 0::float8, 0::float8, -1)
    ) AS v(t, du, da, dr, db)
    WHERE v.t >= ${from} AND v.t < ${to}
  ), per_hour AS (
    SELECT f, p, date_bin('1 hour', t, TIMESTAMPTZ '2000-01-01Z') AS h,
           sum(du) AS du, sum(da) AS da, sum(dr) AS dr, sum(db) AS db
    FROM deltas GROUP BY 1, 2, 3
    UNION ALL
    SELECT f, p, h, du, da, dr, db FROM initial
  ), grid AS (
    SELECT dims.f, dims.p, hours.h
    FROM (SELECT DISTINCT f, p FROM per_hour) dims
    CROSS JOIN generate_series(${from}::timestamptz - interval '1 hour', ${lastHour}::timestamptz, interval '1 hour') AS hours(h)
  ), running AS (
    SELECT g.f, g.p, g.h,
           sum(coalesce(ph.du, 0)) OVER w AS occupied, sum(coalesce(ph.da, 0)) OVER w AS area,
           sum(coalesce(ph.dr, 0)) OVER w AS rent, sum(coalesce(ph.db, 0)) OVER w AS booked
    FROM grid g LEFT JOIN per_hour ph ON ph.f = g.f AND ph.p = g.p AND ph.h = g.h
    WINDOW w AS (PARTITION BY g.f, g.p ORDER BY g.h)
  )
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT m.metric, 'HOUR', r.h, r.f, r.p, m.count, 0, m.sum
  FROM running r
  CROSS JOIN LATERAL (VALUES
    (${METRIC.occupied}, r.occupied, r.area),
    (${METRIC.occupiedRent}, 0::numeric, r.rent),
    (${METRIC.booked}, r.booked, 0::float8)
  ) AS m(metric, count, sum)
  WHERE r.h >= ${from} AND (m.count <> 0 OR m.sum <> 0)`;

/**
 * What each facility could hold, per hour: its units, their area and their list rent.
 * Units carry no history of their own, so every hour counts today's units.
 */
const capacity: HourlyStep = (tx, { from, lastHour }) => tx.$executeRaw`
  INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
  SELECT m.metric, 'HOUR', hours.h, c.f, ${NONE_ID}::uuid, m.count, 0, m.sum
  FROM (
    SELECT u.facility_id AS f, count(*) AS units, sum(ut.area_sq_ft)::float8 AS area, sum(ut.monthly_rate_cents)::float8 AS rent
    FROM units u JOIN unit_types ut ON ut.id = u.unit_type_id
    WHERE u.status <> 'RETIRED'
    GROUP BY 1
  ) c
  CROSS JOIN generate_series(${from}::timestamptz, ${lastHour}::timestamptz, interval '1 hour') AS hours(h)
  CROSS JOIN LATERAL (VALUES
    (${METRIC.capacity}, c.units, c.area),
    (${METRIC.capacityRent}, 0::bigint, c.rent)
  ) AS m(metric, count, sum)`;

const HOURLY_STEPS: Readonly<Record<string, HourlyStep>> = {
  apiRequests,
  signIns,
  holdEvents,
  webhookAttempts,
  deadLetters,
  syncLag,
  reconciliationRuns,
  occupancy,
  capacity,
};

/**
 * Daily buckets (UTC days) from the hourly ones: counts, totals, sums and bins add up;
 * a snapshot (occupancy) is the day's last hour — 23:00, or the current hour today.
 */
async function rollupDays(tx: Tx, dayFrom: Date, lastHour: Date): Promise<number> {
  const snapshot = `${SNAPSHOT_PREFIX}%`;
  const added = await tx.$executeRaw`
    INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
    SELECT metric, 'DAY', date_bin('1 day', bucket_start, TIMESTAMPTZ '2000-01-01Z'), facility_id, partner_id, sum(count), sum(total), sum(sum)
    FROM kpi_buckets
    WHERE bucket_size = 'HOUR' AND bucket_start >= ${dayFrom} AND metric NOT LIKE ${snapshot}
    GROUP BY 1, 3, 4, 5`;
  const snapshots = await tx.$executeRaw`
    INSERT INTO kpi_buckets (metric, bucket_size, bucket_start, facility_id, partner_id, count, total, sum)
    SELECT metric, 'DAY', date_bin('1 day', bucket_start, TIMESTAMPTZ '2000-01-01Z'), facility_id, partner_id, count, total, sum
    FROM kpi_buckets
    WHERE bucket_size = 'HOUR' AND bucket_start >= ${dayFrom} AND metric LIKE ${snapshot}
      AND bucket_start = least(date_bin('1 day', bucket_start, TIMESTAMPTZ '2000-01-01Z') + interval '23 hours', ${lastHour}::timestamptz)`;
  await tx.$executeRaw`
    INSERT INTO kpi_bucket_bins (metric, bucket_size, bucket_start, facility_id, partner_id, bin, count)
    SELECT metric, 'DAY', date_bin('1 day', bucket_start, TIMESTAMPTZ '2000-01-01Z'), facility_id, partner_id, bin, sum(count)
    FROM kpi_bucket_bins
    WHERE bucket_size = 'HOUR' AND bucket_start >= ${dayFrom}
    GROUP BY 1, 3, 4, 5, 6`;
  return added + snapshots;
}
