import { METRIC, type MetricName } from "./metrics";

/**
 * What each KPI of the dashboard is (docs/domain.md#kpis): its written definition, the
 * fields it shows, which breakdowns it is recorded by, and how its values are computed
 * from the roll-up's sums through a `Reader`.
 */

export type KpiUnit = "percent" | "count" | "ms";
export type KpiChart = "line" | "bar" | "area";

export interface KpiField {
  key: string;
  label: string;
  unit: KpiUnit;
  /** drawn on the chart (the others are in the tooltip and the CSV) */
  plotted: boolean;
}

export interface Parts {
  count: number;
  total: number;
  sum: number;
}

export interface Dims {
  /** recorded per facility (false: rows belong to no facility) */
  facility: boolean;
  /** recorded per partner */
  partner: boolean;
}

export interface KpiDef {
  key: string;
  title: string;
  chart: KpiChart;
  stacked?: boolean;
  dims: Dims;
  definition: string;
  fields: KpiField[];
  /** the values of one bucket (or, with every bucket merged, of the whole range) */
  values: (read: Reader) => Record<string, number | null>;
  summary: { label: string; field: string; unit: KpiUnit; of: "range" | "last" };
}

/** Reads one bucket's (or the whole range's) sums. */
export interface Reader {
  count(metric: MetricName): number;
  total(metric: MetricName): number;
  sum(metric: MetricName): number;
  /** per facility, for ratios that must not be summed across currencies */
  perFacility(metric: MetricName): Map<string, Parts>;
  percentile(metric: MetricName, p: number): number | null;
  /** whether any row of the metric was found */
  has(metric: MetricName): boolean;
}

const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : null);

const PARTNER_ONLY: Dims = { facility: false, partner: true };
const BOTH: Dims = { facility: true, partner: true };
const NEITHER: Dims = { facility: false, partner: false };

export const KPI_DEFS: readonly KpiDef[] = [
  {
    key: "booking_success",
    title: "Booking success rate",
    chart: "line",
    dims: PARTNER_ONLY,
    definition:
      "Hold requests from partners (POST /api/v1/bookings) answered 2xx ÷ all hold requests, each Idempotency-Key counted once " +
      "(replays and in-flight duplicates left out). Refusals — sold out, invalid, 401, 429 — count as failures. " +
      "A request falls into the bucket in which it was answered.",
    fields: [
      { key: "rate", label: "Success rate", unit: "percent", plotted: true },
      { key: "succeeded", label: "Succeeded", unit: "count", plotted: false },
      { key: "requests", label: "Hold requests", unit: "count", plotted: false },
    ],
    values: (r) => ({
      rate: ratio(r.count(METRIC.holdRequests), r.total(METRIC.holdRequests)),
      succeeded: r.count(METRIC.holdRequests),
      requests: r.total(METRIC.holdRequests),
    }),
    summary: { label: "over the range", field: "rate", unit: "percent", of: "range" },
  },
  {
    key: "hold_conversion",
    title: "Hold-to-confirm conversion",
    chart: "line",
    dims: BOTH,
    definition:
      "Holds confirmed ÷ holds that ended: confirmed + expired + cancelled before confirmation. Each hold counts once, in the " +
      "bucket of its outcome (its booking.confirmed, booking.expired or booking.cancelled event); holds still open are not counted yet.",
    fields: [
      { key: "conversion", label: "Conversion", unit: "percent", plotted: true },
      { key: "confirmed", label: "Confirmed", unit: "count", plotted: false },
      { key: "expired", label: "Expired", unit: "count", plotted: false },
      { key: "released", label: "Cancelled before confirmation", unit: "count", plotted: false },
    ],
    values: (r) => {
      const confirmed = r.count(METRIC.holdsConfirmed);
      const expired = r.count(METRIC.holdsExpired);
      const released = r.count(METRIC.holdsReleased);
      return { conversion: ratio(confirmed, confirmed + expired + released), confirmed, expired, released };
    },
    summary: { label: "over the range", field: "conversion", unit: "percent", of: "range" },
  },
  {
    key: "holds_expired",
    title: "Holds expired",
    chart: "bar",
    dims: BOTH,
    definition:
      "Holds that ran out unconfirmed and were released by the expiry job (booking.expired events), in the bucket of the expiry. " +
      "Holds placed (booking.held) in the same bucket are shown beside them for scale.",
    fields: [
      { key: "expired", label: "Expired", unit: "count", plotted: true },
      { key: "held", label: "Holds placed", unit: "count", plotted: false },
    ],
    values: (r) => ({ expired: r.count(METRIC.holdsExpired), held: r.count(METRIC.holdsCreated) }),
    summary: { label: "in the range", field: "expired", unit: "count", of: "range" },
  },
  {
    key: "duplicates",
    title: "Duplicate requests absorbed by idempotency",
    chart: "bar",
    dims: PARTNER_ONLY,
    definition:
      "Partner POSTs that reused an Idempotency-Key and were answered from the idempotency store — the stored response replayed " +
      "(Idempotent-Replayed: true) or 409 IDEMPOTENCY_KEY_IN_USE while the first was still running — so nothing happened twice. " +
      "Bucket: when answered. Share = absorbed ÷ all POSTs.",
    fields: [
      { key: "absorbed", label: "Absorbed", unit: "count", plotted: true },
      { key: "posts", label: "All POSTs", unit: "count", plotted: false },
      { key: "share", label: "Share of POSTs", unit: "percent", plotted: false },
    ],
    values: (r) => ({
      absorbed: r.count(METRIC.duplicates),
      posts: r.total(METRIC.duplicates),
      share: ratio(r.count(METRIC.duplicates), r.total(METRIC.duplicates)),
    }),
    summary: { label: "in the range", field: "absorbed", unit: "count", of: "range" },
  },
  {
    key: "sync_lag",
    title: "Inventory sync lag",
    chart: "line",
    dims: BOTH,
    definition:
      "For each inventory.updated event delivered to a partner's endpoint: the time from the event's commit to the partner's 2xx " +
      "(its acknowledgement), counted in the bucket of the 2xx. p50 and p95 come from log-scale bins (10 per decade) merged " +
      "across buckets, facilities and partners, so each is within ±12 %.",
    fields: [
      { key: "p50", label: "p50", unit: "ms", plotted: true },
      { key: "p95", label: "p95", unit: "ms", plotted: true },
      { key: "acks", label: "Acknowledged", unit: "count", plotted: false },
    ],
    values: (r) => ({
      p50: r.percentile(METRIC.syncLag, 0.5),
      p95: r.percentile(METRIC.syncLag, 0.95),
      acks: r.count(METRIC.syncLag),
    }),
    summary: { label: "p95 over the range", field: "p95", unit: "ms", of: "range" },
  },
  {
    key: "webhook_success",
    title: "Webhook delivery success rate",
    chart: "line",
    dims: BOTH,
    definition:
      "Webhook delivery attempts answered 2xx ÷ all attempts (scheduled, retries and replays; test pings left out), in the bucket " +
      "of the attempt's start. Timeouts, connection errors and non-2xx answers are failures.",
    fields: [
      { key: "rate", label: "Success rate", unit: "percent", plotted: true },
      { key: "succeeded", label: "Succeeded", unit: "count", plotted: false },
      { key: "attempts", label: "Attempts", unit: "count", plotted: false },
    ],
    values: (r) => ({
      rate: ratio(r.count(METRIC.webhookAttempts), r.total(METRIC.webhookAttempts)),
      succeeded: r.count(METRIC.webhookAttempts),
      attempts: r.total(METRIC.webhookAttempts),
    }),
    summary: { label: "over the range", field: "rate", unit: "percent", of: "range" },
  },
  {
    key: "webhook_latency",
    title: "Webhook delivery latency",
    chart: "line",
    dims: BOTH,
    definition:
      "How long each delivery attempt took, request sent to response (or to the 15 s timeout), in the bucket of its start. " +
      "p50 and p95 come from log-scale bins (10 per decade) merged across buckets, facilities and partners (±12 %).",
    fields: [
      { key: "p50", label: "p50", unit: "ms", plotted: true },
      { key: "p95", label: "p95", unit: "ms", plotted: true },
      { key: "attempts", label: "Attempts", unit: "count", plotted: false },
    ],
    values: (r) => ({
      p50: r.percentile(METRIC.webhookAttempts, 0.5),
      p95: r.percentile(METRIC.webhookAttempts, 0.95),
      attempts: r.total(METRIC.webhookAttempts),
    }),
    summary: { label: "p95 over the range", field: "p95", unit: "ms", of: "range" },
  },
  {
    key: "dead_letters",
    title: "Dead-lettered deliveries",
    chart: "bar",
    dims: BOTH,
    definition:
      "Webhook deliveries that failed their last scheduled attempt and were marked DEAD, in the bucket of that moment (dead_at). " +
      "A later replay does not remove them from this count.",
    fields: [{ key: "dead", label: "Dead-lettered", unit: "count", plotted: true }],
    values: (r) => ({ dead: r.count(METRIC.webhookDead) }),
    summary: { label: "in the range", field: "dead", unit: "count", of: "range" },
  },
  {
    key: "auth_failures",
    title: "Auth failures",
    chart: "bar",
    stacked: true,
    dims: NEITHER,
    definition:
      "Console sign-ins refused (wrong password, throttled, disabled user — from the audit log) plus partner API requests answered " +
      "401 (missing, unknown or revoked key), in the bucket of the attempt. Neither belongs to a facility, nor — an unknown key — to a partner.",
    fields: [
      { key: "signIns", label: "Console sign-ins refused", unit: "count", plotted: true },
      { key: "api401", label: "API 401s", unit: "count", plotted: true },
    ],
    values: (r) => ({ signIns: r.count(METRIC.signIns), api401: r.count(METRIC.apiUnauthenticated) }),
    summary: { label: "in the range", field: "total", unit: "count", of: "range" },
  },
  {
    key: "rate_limited",
    title: "Rate-limited requests (429)",
    chart: "bar",
    dims: PARTNER_ONLY,
    definition:
      "Partner API requests refused with 429 RATE_LIMITED (per-key limits), in the bucket in which they were answered. " +
      "Share = 429s ÷ all partner API requests.",
    fields: [
      { key: "limited", label: "429s", unit: "count", plotted: true },
      { key: "requests", label: "All requests", unit: "count", plotted: false },
      { key: "share", label: "Share", unit: "percent", plotted: false },
    ],
    values: (r) => ({
      limited: r.count(METRIC.rateLimited),
      requests: r.total(METRIC.rateLimited),
      share: ratio(r.count(METRIC.rateLimited), r.total(METRIC.rateLimited)),
    }),
    summary: { label: "in the range", field: "limited", unit: "count", of: "range" },
  },
  {
    key: "manual_reconciliation",
    title: "Manual reconciliation volume",
    chart: "bar",
    dims: NEITHER,
    definition:
      "Reconciliation runs started on demand by an ops lead (trigger MANUAL), in the bucket of their start; all runs, scheduled " +
      "ones included, beside them. A run checks every facility, so it belongs to none.",
    fields: [
      { key: "manual", label: "Manual runs", unit: "count", plotted: true },
      { key: "runs", label: "All runs", unit: "count", plotted: false },
    ],
    values: (r) => ({ manual: r.count(METRIC.reconciliationRuns), runs: r.total(METRIC.reconciliationRuns) }),
    summary: { label: "in the range", field: "manual", unit: "count", of: "range" },
  },
  {
    key: "occupancy",
    title: "Occupancy",
    chart: "area",
    stacked: true,
    dims: BOTH,
    definition:
      "At the end of each bucket (now, for the current one): units occupied — a booking moved in and not yet moved out — and " +
      "units booked — confirmed, not yet moved in — each as a share of all units. With a partner chosen, that partner's bookings " +
      "over all units. Units carry no history, so every bucket counts today's units.",
    fields: [
      { key: "occupied", label: "Occupied", unit: "percent", plotted: true },
      { key: "booked", label: "Booked", unit: "percent", plotted: true },
      { key: "occupiedUnits", label: "Occupied units", unit: "count", plotted: false },
      { key: "bookedUnits", label: "Booked units", unit: "count", plotted: false },
      { key: "units", label: "All units", unit: "count", plotted: false },
    ],
    values: (r) => {
      const units = r.count(METRIC.capacity);
      return {
        occupied: r.has(METRIC.capacity) ? ratio(r.count(METRIC.occupied), units) : null,
        booked: r.has(METRIC.capacity) ? ratio(r.count(METRIC.booked), units) : null,
        occupiedUnits: r.count(METRIC.occupied),
        bookedUnits: r.count(METRIC.booked),
        units,
      };
    },
    summary: { label: "occupied at the end", field: "occupied", unit: "percent", of: "last" },
  },
  {
    key: "occupancy_measures",
    title: "Occupancy by units, area and rent",
    chart: "line",
    dims: BOTH,
    definition:
      "At the end of each bucket: occupied units ÷ all units; occupied square feet ÷ all square feet (unit_types.area_sq_ft); " +
      "economic — the occupied units' booked monthly rent ÷ the list rent of every unit (unit_types.monthly_rate_cents). Across " +
      "facilities with different currencies the economic figure is each facility's, weighted by its units.",
    fields: [
      { key: "units", label: "By units", unit: "percent", plotted: true },
      { key: "area", label: "By area", unit: "percent", plotted: true },
      { key: "economic", label: "Economic", unit: "percent", plotted: true },
    ],
    values: (r) => {
      if (!r.has(METRIC.capacity)) return { units: null, area: null, economic: null };
      const capacity = r.perFacility(METRIC.capacity);
      const rents = r.perFacility(METRIC.occupiedRent);
      const potential = r.perFacility(METRIC.capacityRent);
      let weighted = 0;
      let weight = 0;
      for (const [facilityId, parts] of capacity) {
        const share = ratio(rents.get(facilityId)?.sum ?? 0, potential.get(facilityId)?.sum ?? 0);
        if (share === null) continue;
        weighted += share * parts.count;
        weight += parts.count;
      }
      return {
        units: ratio(r.count(METRIC.occupied), r.count(METRIC.capacity)),
        area: ratio(r.sum(METRIC.occupied), r.sum(METRIC.capacity)),
        economic: weight > 0 ? weighted / weight : null,
      };
    },
    summary: { label: "by units at the end", field: "units", unit: "percent", of: "last" },
  },
];
