import { Prisma } from "../../generated/prisma/client";
import { config } from "../../config";
import { getDb } from "../../db";
import { deleteInBatches, type BatchedDeleteOptions } from "./batched-delete";

/**
 * Retention for everything that grows with traffic (docs/operations.md#data-retention),
 * run daily by the worker (`JOBS.enforceRetention`). Each rule removes (or, for inbound
 * webhook bodies, empties) rows past its age in bounded batches, oldest first, skipping
 * rows another transaction holds; a run stopped half-way is finished by the next one.
 * What is still in use is never touched: an undelivered delivery, a live booking's events,
 * an event not yet fanned out or still delivered, a running replay's items, the newest
 * snapshot of each partner and pool.
 *
 * The request log and idempotency records have their own jobs
 * (delete-old-api-request-logs.ts, delete-expired-idempotency-records.ts).
 */

export interface RetentionDays {
  deliveriesDays: number;
  eventsDays: number;
  recordsDays: number;
  hourlyKpisDays: number;
}

export interface RetentionResult {
  /** rows removed (or bodies emptied) per rule */
  removed: Record<RetentionRule, number>;
  /** false when a rule stopped early (the signal, or its batch bound) with rows possibly left */
  complete: boolean;
}

export const RETENTION_RULES = [
  "webhook_deliveries",
  "operational_webhook_deliveries",
  "events",
  "availability_snapshots",
  "webhook_test_pings",
  "replay_job_items",
  "inbound_webhook_bodies",
  "demo_receiver_hits",
  "kpi_hourly_buckets",
] as const;
export type RetentionRule = (typeof RETENTION_RULES)[number];

/** Demo receiver rows only show the demo what a partner received lately. */
const DEMO_RECEIVER_DAYS = 7;

const LIVE_BOOKING = Prisma.sql`('TENTATIVE', 'CONFIRMED', 'FULFILLED')`;

const cutoff = (days: number) => Prisma.sql`now() - make_interval(days => ${days}::int)`;

/** One batch of each rule: a statement (or a short transaction) removing at most `limit` rows. */
function batchOf(rule: RetentionRule, days: RetentionDays): (limit: number) => Promise<number> {
  const db = getDb();
  switch (rule) {
    case "webhook_deliveries":
      // finished deliveries with their attempts, and the items of finished replays that name them
      return (limit) =>
        db.$transaction(async (tx) => {
          const doomed = await tx.$queryRaw<{ id: string }[]>`
            SELECT d.id FROM webhook_deliveries d
            WHERE d.status IN ('SUCCEEDED', 'DEAD') AND d.created_at < ${cutoff(days.deliveriesDays)}
              AND NOT EXISTS (SELECT 1 FROM replay_job_items i JOIN replay_jobs j ON j.id = i.job_id
                              WHERE i.delivery_id = d.id AND j.status IN ('PENDING', 'RUNNING'))
            ORDER BY d.created_at LIMIT ${limit}::int FOR UPDATE OF d SKIP LOCKED`;
          if (!doomed.length) return 0;
          const ids = doomed.map((d) => d.id);
          await tx.$executeRaw`DELETE FROM replay_job_items WHERE delivery_id = ANY(${ids}::text[])`;
          await tx.$executeRaw`DELETE FROM webhook_attempts WHERE delivery_id = ANY(${ids}::text[])`;
          return tx.$executeRaw`DELETE FROM webhook_deliveries WHERE id = ANY(${ids}::text[])`;
        });
    case "operational_webhook_deliveries":
      return (limit) =>
        db.$transaction(async (tx) => {
          const doomed = await tx.$queryRaw<{ id: string }[]>`
            SELECT id FROM operational_webhook_deliveries
            WHERE status IN ('SUCCEEDED', 'DEAD') AND created_at < ${cutoff(days.deliveriesDays)}
            ORDER BY created_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`;
          if (!doomed.length) return 0;
          const ids = doomed.map((d) => d.id);
          await tx.$executeRaw`DELETE FROM operational_webhook_attempts WHERE delivery_id = ANY(${ids}::text[])`;
          return tx.$executeRaw`DELETE FROM operational_webhook_deliveries WHERE id = ANY(${ids}::text[])`;
        });
    case "events":
      // fanned out, no delivery left, and not an event of a booking that is still live
      return (limit) => db.$executeRaw`
        DELETE FROM events WHERE id IN (
          SELECT e.id FROM events e
          WHERE e.created_at < ${cutoff(days.eventsDays)}
            AND (e.txid, e.seq) <= (SELECT last_txid, last_seq FROM webhook_fanout_cursor WHERE id = 1)
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
            AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = e.booking_id AND b.status IN ${LIVE_BOOKING})
          ORDER BY e.created_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)`;
    case "availability_snapshots":
      // the newest report of each partner and pool stays: drift compares with it
      return (limit) => db.$executeRaw`
        DELETE FROM availability_snapshots WHERE id IN (
          SELECT s.id FROM availability_snapshots s
          WHERE s.reported_at < ${cutoff(days.recordsDays)}
            AND EXISTS (SELECT 1 FROM availability_snapshots n
                        WHERE n.partner_id = s.partner_id AND n.pool_id = s.pool_id AND n.reported_at > s.reported_at)
          ORDER BY s.reported_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)`;
    case "webhook_test_pings":
      return (limit) => db.$executeRaw`
        DELETE FROM webhook_test_pings WHERE id IN (
          SELECT id FROM webhook_test_pings WHERE started_at < ${cutoff(days.recordsDays)}
          ORDER BY started_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)`;
    case "replay_job_items":
      // the job keeps its counts; its list of deliveries goes
      return (limit) => db.$executeRaw`
        DELETE FROM replay_job_items WHERE (job_id, seq) IN (
          SELECT i.job_id, i.seq FROM replay_job_items i JOIN replay_jobs j ON j.id = i.job_id
          WHERE j.status IN ('COMPLETED', 'CANCELLED', 'FAILED') AND j.finished_at < ${cutoff(days.recordsDays)}
          LIMIT ${limit}::int FOR UPDATE OF i SKIP LOCKED)`;
    case "inbound_webhook_bodies":
      // the row (what arrived, when, what it did) stays; the raw body, signed and all, goes
      return (limit) => db.$executeRaw`
        UPDATE inbound_webhook_events SET raw_body = '' WHERE id IN (
          SELECT id FROM inbound_webhook_events
          WHERE raw_body <> '' AND status <> 'RECEIVED' AND received_at < ${cutoff(days.recordsDays)}
          ORDER BY received_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)`;
    case "demo_receiver_hits":
      return (limit) => db.$executeRaw`
        DELETE FROM demo_receiver_hits WHERE (endpoint_id, webhook_id) IN (
          SELECT endpoint_id, webhook_id FROM demo_receiver_hits WHERE last_at < ${cutoff(DEMO_RECEIVER_DAYS)}
          ORDER BY last_at LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)`;
    case "kpi_hourly_buckets":
      // bins first (they are the buckets' latency histograms), then the buckets; daily ones stay
      return (limit) =>
        db.$transaction(async (tx) => {
          const bins = await tx.$executeRaw`
            DELETE FROM kpi_bucket_bins WHERE ctid IN (
              SELECT ctid FROM kpi_bucket_bins WHERE bucket_size = 'HOUR' AND bucket_start < ${cutoff(days.hourlyKpisDays)} LIMIT ${limit}::int)`;
          const buckets = await tx.$executeRaw`
            DELETE FROM kpi_buckets WHERE ctid IN (
              SELECT ctid FROM kpi_buckets WHERE bucket_size = 'HOUR' AND bucket_start < ${cutoff(days.hourlyKpisDays)} LIMIT ${limit}::int)`;
          return Math.max(bins, buckets);
        });
  }
}

/** Applies every retention rule once, in order (deliveries before the events they name). */
export async function enforceRetention(
  options: BatchedDeleteOptions & { days?: Partial<RetentionDays>; rules?: readonly RetentionRule[] } = {},
): Promise<RetentionResult> {
  const days: RetentionDays = { ...config().retention, ...options.days };
  for (const [name, value] of Object.entries(days)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive whole number of days.`);
  }
  const removed = Object.fromEntries(RETENTION_RULES.map((rule) => [rule, 0])) as Record<RetentionRule, number>;
  let complete = true;
  for (const rule of options.rules ?? RETENTION_RULES) {
    const result = await deleteInBatches(batchOf(rule, days), { batchSize: options.batchSize ?? 1000, maxBatches: options.maxBatches, signal: options.signal });
    removed[rule] = result.deleted;
    complete &&= result.complete;
  }
  return { removed, complete };
}
