/**
 * The metrics the roll-up writes into kpi_buckets, one row per metric, bucket, facility
 * and partner. Each holds additive parts (count, total, sum) so that any selection is a
 * SUM; the dashboard (./get-kpi-dashboard.ts) turns them into the KPIs of docs/domain.md#kpis.
 */

export const METRIC = {
  /** POST /api/v1/bookings answered, first time (not replays): count = 2xx, total = all */
  holdRequests: "api.hold_requests",
  /** POSTs under /api/v1: count = answered from the idempotency store (replayed, or 409 in use), total = all POSTs */
  duplicates: "api.duplicates",
  /** partner API requests: count = 429, total = all */
  rateLimited: "api.rate_limited",
  /** partner API requests: count = 401, total = all */
  apiUnauthenticated: "auth.api_unauthenticated",
  /** console sign-ins: count = refused (wrong password, throttled, disabled), total = all attempts */
  signIns: "auth.sign_in",
  /** booking.held events */
  holdsCreated: "holds.created",
  /** booking.confirmed events */
  holdsConfirmed: "holds.confirmed",
  /** booking.expired events */
  holdsExpired: "holds.expired",
  /** booking.cancelled events of TENTATIVE bookings (released before confirmation) */
  holdsReleased: "holds.released",
  /** webhook attempts (not test pings): count = 2xx, total = all, sum = duration ms; bins of duration */
  webhookAttempts: "webhooks.attempts",
  /** webhook deliveries dead-lettered */
  webhookDead: "webhooks.dead",
  /** inventory.updated deliveries acknowledged (2xx): count, sum = lag ms; bins of lag (event commit → 2xx) */
  syncLag: "sync.lag",
  /** reconciliation runs: count = MANUAL, total = all */
  reconciliationRuns: "reconciliation.runs",
  /** snapshot at the bucket's end: units occupied (count) and their area in sq ft (sum) */
  occupied: "occupancy.occupied",
  /** snapshot: monthly rent (cents) of the occupied units' bookings (sum) */
  occupiedRent: "occupancy.rent",
  /** snapshot: units booked (confirmed, not yet moved in) */
  booked: "occupancy.booked",
  /** snapshot per facility (no partner): units (count) and area in sq ft (sum) */
  capacity: "occupancy.capacity",
  /** snapshot per facility (no partner): monthly list rent of every unit, cents (sum) */
  capacityRent: "occupancy.capacity_rent",
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Snapshot metrics: a daily bucket takes the day's last hourly value instead of a sum. */
export const SNAPSHOT_PREFIX = "occupancy.";

/** Metrics read for every partner filter (they belong to the facility, not a partner). */
export const FACILITY_ONLY_METRICS: readonly MetricName[] = [METRIC.capacity, METRIC.capacityRent];

/** "No facility" / "no partner" in kpi_buckets (primary key columns cannot be NULL). */
export const NONE_ID = "00000000-0000-0000-0000-000000000000";
