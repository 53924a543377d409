import { z } from "zod";
import { pgIsoDate } from "../shared/safe-input";
import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "../shared/actor";
import { facilitiesInScope, scopeSql } from "../shared/facility-scope";
import { notFound } from "../shared/errors";
import { mergeBins, percentileFromBins } from "./histogram";
import { FACILITY_ONLY_METRICS, METRIC, type MetricName } from "./metrics";

/**
 * The KPI dashboard's read side (docs/domain.md#kpis): the roll-up's buckets for a range, a
 * facility and a partner, turned into one series per KPI with its written definition.
 * The actor's facility scope is part of the query: a site manager reads only rows of
 * their facilities (and never the rows that belong to no facility, which cover all of
 * them); a facility outside the scope is "not found".
 */

export const KPI_RANGES = ["24h", "7d", "30d", "90d", "custom"] as const;
export type KpiRange = (typeof KPI_RANGES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** custom ranges up to this many days are drawn hourly, longer ones daily */
export const HOURLY_MAX_DAYS = 7;
export const CUSTOM_MAX_DAYS = 366;

const code = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, `A ${what} code is letters, digits and dashes.`)
    .transform((value) => value.toUpperCase());

export const KpiDashboardInput = z
  .object({
    range: z.enum(KPI_RANGES).default("7d"),
    /** custom range: first and last UTC day, YYYY-MM-DD */
    from: pgIsoDate().optional(),
    to: pgIsoDate().optional(),
    facility: code("facility").optional(),
    partner: code("partner").optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.range !== "custom") return;
    if (!input.from || !input.to) {
      ctx.addIssue({ code: "custom", path: [input.from ? "to" : "from"], message: "A custom range needs a first and a last day." });
      return;
    }
    const days = (Date.parse(input.to) - Date.parse(input.from)) / DAY_MS + 1;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "The last day comes before the first." });
    else if (days > CUSTOM_MAX_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `A custom range is at most ${CUSTOM_MAX_DAYS} days.` });
  });
export type KpiDashboardInput = z.input<typeof KpiDashboardInput>;

export type BucketSize = "HOUR" | "DAY";

export interface ResolvedRange {
  bucketSize: BucketSize;
  /** first bucket's start (inclusive) */
  start: Date;
  /** after the last bucket (exclusive) */
  end: Date;
  buckets: Date[];
}

const PRESET_BUCKETS: Record<Exclude<KpiRange, "custom">, { size: BucketSize; count: number }> = {
  "24h": { size: "HOUR", count: 24 },
  "7d": { size: "HOUR", count: 7 * 24 },
  "30d": { size: "DAY", count: 30 },
  "90d": { size: "DAY", count: 90 },
};

/** The buckets a range covers: presets end with the bucket holding `now`; bucket size follows the range. */
export function resolveRange(input: z.output<typeof KpiDashboardInput>, now: Date): ResolvedRange {
  let bucketSize: BucketSize;
  let start: number;
  let end: number;
  if (input.range === "custom") {
    const first = Date.parse(input.from!);
    const afterLast = Date.parse(input.to!) + DAY_MS;
    bucketSize = afterLast - first <= HOURLY_MAX_DAYS * DAY_MS ? "HOUR" : "DAY";
    start = first;
    end = afterLast;
  } else {
    const preset = PRESET_BUCKETS[input.range];
    bucketSize = preset.size;
    const step = preset.size === "HOUR" ? HOUR_MS : DAY_MS;
    end = Math.floor(now.getTime() / step) * step + step;
    start = end - preset.count * step;
  }
  const step = bucketSize === "HOUR" ? HOUR_MS : DAY_MS;
  const buckets: Date[] = [];
  for (let t = start; t < end; t += step) buckets.push(new Date(t));
  return { bucketSize, start: new Date(start), end: new Date(end), buckets };
}

// ───────────────────────────── the KPIs ─────────────────────────────

export type KpiUnit = "percent" | "count" | "ms";
export type KpiChart = "line" | "bar" | "area";

export interface KpiField {
  key: string;
  label: string;
  unit: KpiUnit;
  /** drawn on the chart (the others are in the tooltip and the CSV) */
  plotted: boolean;
}

export interface KpiPoint {
  bucketStart: Date;
  values: Record<string, number | null>;
}

export interface KpiSeries {
  key: string;
  title: string;
  chart: KpiChart;
  /** stack the plotted series (bars, areas) */
  stacked: boolean;
  definition: string;
  fields: KpiField[];
  points: KpiPoint[];
  summary: { label: string; value: number | null; unit: KpiUnit };
  /** false: the filters ask for a breakdown this KPI is not recorded by (see `unavailableReason`) */
  available: boolean;
  unavailableReason: string | null;
  /** true when nothing was counted in the whole range */
  empty: boolean;
}

export interface KpiDashboard {
  range: KpiRange;
  bucketSize: BucketSize;
  start: Date;
  end: Date;
  /** the zone bucket times are labelled in: the facility's when one is chosen, else UTC */
  timezone: string;
  facility: { code: string; name: string; timezone: string } | null;
  partner: { code: string; name: string } | null;
  /** scoped to the user's facilities (a site manager) */
  scoped: boolean;
  kpis: KpiSeries[];
  /** the roll-up's last run: data up to `watermark` is counted */
  rollup: { watermark: Date; lastRunAt: Date } | null;
}

interface Parts {
  count: number;
  total: number;
  sum: number;
}

/** metric → bucket (ms) → facility → parts */
type PartsIndex = Map<string, Map<number, Map<string, Parts>>>;
/** metric → bucket (ms) → bin → count */
type BinsIndex = Map<string, Map<number, Map<number, number>>>;

interface Dims {
  /** recorded per facility (false: rows belong to no facility) */
  facility: boolean;
  /** recorded per partner */
  partner: boolean;
}

interface KpiDef {
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
interface Reader {
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

// ───────────────────────────── reading ─────────────────────────────

const EMPTY_PARTS: Parts = { count: 0, total: 0, sum: 0 };

function readerFor(parts: Map<string, Map<string, Parts>>, bins: Map<string, Map<number, number>>): Reader {
  const add = (metric: string, key: keyof Parts) => {
    let value = 0;
    for (const p of parts.get(metric)?.values() ?? []) value += p[key];
    return value;
  };
  return {
    count: (metric) => add(metric, "count"),
    total: (metric) => add(metric, "total"),
    sum: (metric) => add(metric, "sum"),
    perFacility: (metric) => parts.get(metric) ?? new Map(),
    percentile: (metric, p) => percentileFromBins(bins.get(metric) ?? new Map(), p),
    has: (metric) => (parts.get(metric)?.size ?? 0) > 0,
  };
}

/** One bucket's rows, as the reader sees them. */
function bucketReader(partsIndex: PartsIndex, binsIndex: BinsIndex, bucket: number): Reader {
  const parts = new Map<string, Map<string, Parts>>();
  for (const [metric, byBucket] of partsIndex) {
    const rows = byBucket.get(bucket);
    if (rows) parts.set(metric, rows);
  }
  const bins = new Map<string, Map<number, number>>();
  for (const [metric, byBucket] of binsIndex) {
    const rows = byBucket.get(bucket);
    if (rows) bins.set(metric, rows);
  }
  return readerFor(parts, bins);
}

/** Every bucket merged (for additive KPIs' range summaries; percentiles from the merged bins). */
function rangeReader(partsIndex: PartsIndex, binsIndex: BinsIndex): Reader {
  const parts = new Map<string, Map<string, Parts>>();
  for (const [metric, byBucket] of partsIndex) {
    const merged = new Map<string, Parts>();
    for (const rows of byBucket.values()) {
      for (const [facilityId, p] of rows) {
        const into = merged.get(facilityId) ?? { ...EMPTY_PARTS };
        into.count += p.count;
        into.total += p.total;
        into.sum += p.sum;
        merged.set(facilityId, into);
      }
    }
    parts.set(metric, merged);
  }
  const bins = new Map<string, Map<number, number>>();
  for (const [metric, byBucket] of binsIndex) {
    const merged = new Map<number, number>();
    for (const rows of byBucket.values()) mergeBins(merged, rows);
    bins.set(metric, merged);
  }
  return readerFor(parts, bins);
}

function unavailableReason(dims: Dims, filters: { facility: boolean; scoped: boolean; partner: boolean }): string | null {
  if (!dims.facility && filters.scoped) return "Covers every facility, so it is not shown to users who see only their own facilities.";
  if (!dims.facility && filters.facility) return "Not recorded per facility: clear the facility filter to see it.";
  if (!dims.partner && filters.partner) return "Not recorded per partner: clear the partner filter to see it.";
  return null;
}

/** The dashboard for `actor` (kpi.read; a site manager only their facilities). */
export async function getKpiDashboard(actor: Actor, rawInput: KpiDashboardInput, now = new Date()): Promise<KpiDashboard> {
  const input = KpiDashboardInput.parse(rawInput);
  const db = getDb();
  const range = resolveRange(input, now);
  const scoped = actor.facilityIds !== null;

  let facility: { id: string; code: string; name: string; timezone: string } | null = null;
  if (input.facility) {
    facility = await db.facility.findFirst({
      where: { code: input.facility, ...facilitiesInScope(actor) },
      select: { id: true, code: true, name: true, timezone: true },
    });
    if (!facility) throw notFound("Facility", input.facility);
  }
  let partner: { id: string; code: string; name: string } | null = null;
  if (input.partner) {
    partner = await db.partner.findUnique({ where: { code: input.partner }, select: { id: true, code: true, name: true } });
    if (!partner) throw notFound("Partner", input.partner);
  }

  // Facility scope in the query: one facility, the user's facilities, or everything.
  const facilityWhere = Prisma.sql`${facility ? Prisma.sql`AND facility_id = ${facility.id}::uuid` : Prisma.empty} ${scopeSql(actor, Prisma.sql`facility_id`)}`;
  const partnerWhere = partner
    ? Prisma.sql`AND (partner_id = ${partner.id}::uuid OR metric = ANY(${[...FACILITY_ONLY_METRICS]}::text[]))`
    : Prisma.empty;

  const [rows, binRows, state] = await Promise.all([
    db.$queryRaw<{ metric: string; bucket_start: Date; facility_id: string; count: bigint; total: bigint; sum: number }[]>`
      SELECT metric, bucket_start, facility_id, sum(count)::bigint AS count, sum(total)::bigint AS total, sum(sum)::float8 AS sum
      FROM kpi_buckets
      WHERE bucket_size = ${range.bucketSize}::"KpiBucketSize" AND bucket_start >= ${range.start} AND bucket_start < ${range.end}
        ${facilityWhere} ${partnerWhere}
      GROUP BY metric, bucket_start, facility_id`,
    db.$queryRaw<{ metric: string; bucket_start: Date; bin: number; count: bigint }[]>`
      SELECT metric, bucket_start, bin, sum(count)::bigint AS count
      FROM kpi_bucket_bins
      WHERE bucket_size = ${range.bucketSize}::"KpiBucketSize" AND bucket_start >= ${range.start} AND bucket_start < ${range.end}
        ${facilityWhere} ${partnerWhere}
      GROUP BY metric, bucket_start, bin`,
    db.kpiRollupState.findUnique({ where: { id: "kpi" } }),
  ]);

  const partsIndex: PartsIndex = new Map();
  for (const row of rows) {
    const byBucket = partsIndex.get(row.metric) ?? new Map<number, Map<string, Parts>>();
    partsIndex.set(row.metric, byBucket);
    const t = row.bucket_start.getTime();
    const byFacility = byBucket.get(t) ?? new Map<string, Parts>();
    byBucket.set(t, byFacility);
    byFacility.set(row.facility_id, { count: Number(row.count), total: Number(row.total), sum: Number(row.sum) });
  }
  const binsIndex: BinsIndex = new Map();
  for (const row of binRows) {
    const byBucket = binsIndex.get(row.metric) ?? new Map<number, Map<number, number>>();
    binsIndex.set(row.metric, byBucket);
    const t = row.bucket_start.getTime();
    const bins = byBucket.get(t) ?? new Map<number, number>();
    byBucket.set(t, bins);
    bins.set(Number(row.bin), Number(row.count));
  }

  const filters = { facility: facility !== null, scoped, partner: partner !== null };
  const whole = rangeReader(partsIndex, binsIndex);
  const kpis = KPI_DEFS.map((def): KpiSeries => {
    const reason = unavailableReason(def.dims, filters);
    const points = reason
      ? []
      : range.buckets.map((bucket) => ({ bucketStart: bucket, values: def.values(bucketReader(partsIndex, binsIndex, bucket.getTime())) }));
    const summaryValue = reason ? null : summaryOf(def, points, whole);
    const empty = points.every((point) =>
      def.fields.every((field) => {
        const value = point.values[field.key];
        return value === null || value === undefined || (field.unit === "count" && value === 0);
      }),
    );
    return {
      key: def.key,
      title: def.title,
      chart: def.chart,
      stacked: def.stacked ?? false,
      definition: def.definition,
      fields: def.fields,
      points,
      summary: { label: def.summary.label, value: summaryValue, unit: def.summary.unit },
      available: reason === null,
      unavailableReason: reason,
      empty,
    };
  });

  return {
    range: input.range,
    bucketSize: range.bucketSize,
    start: range.start,
    end: range.end,
    timezone: facility?.timezone ?? "UTC",
    facility: facility ? { code: facility.code, name: facility.name, timezone: facility.timezone } : null,
    partner: partner ? { code: partner.code, name: partner.name } : null,
    scoped,
    kpis,
    rollup: state ? { watermark: state.watermark, lastRunAt: state.lastRunAt } : null,
  };
}

function summaryOf(def: KpiDef, points: KpiPoint[], whole: Reader): number | null {
  if (def.summary.of === "last") {
    for (let i = points.length - 1; i >= 0; i--) {
      const value = points[i]!.values[def.summary.field];
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }
  const values = def.values(whole);
  if (def.summary.field === "total") {
    return def.fields.reduce((sum, field) => sum + (field.plotted ? (values[field.key] ?? 0) : 0), 0);
  }
  return values[def.summary.field] ?? null;
}

/** Facilities (in scope) and partners to filter by. */
export async function listKpiFilters(actor: Actor) {
  const db = getDb();
  const [facilities, partners] = await Promise.all([
    db.facility.findMany({
      where: facilitiesInScope(actor),
      select: { code: true, name: true, timezone: true },
      orderBy: { code: "asc" },
    }),
    db.partner.findMany({ select: { code: true, name: true }, orderBy: { code: "asc" } }),
  ]);
  return { facilities, partners };
}

