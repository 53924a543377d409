import { mergeBins, percentileFromBins } from "./histogram";
import type { Parts, Reader } from "./kpi-definitions";

/**
 * The roll-up's rows indexed by metric and bucket, and the `Reader`s the KPI definitions
 * compute their values with: one bucket's, or every bucket merged.
 */

/** metric → bucket (ms) → facility → parts */
export type PartsIndex = Map<string, Map<number, Map<string, Parts>>>;
/** metric → bucket (ms) → bin → count */
export type BinsIndex = Map<string, Map<number, Map<number, number>>>;

/** A kpi_buckets row, summed over partners. */
export interface PartsRow {
  metric: string;
  bucket_start: Date;
  facility_id: string;
  count: bigint;
  total: bigint;
  sum: number;
}

/** A kpi_bucket_bins row, summed over facilities and partners. */
export interface BinRow {
  metric: string;
  bucket_start: Date;
  bin: number;
  count: bigint;
}

/** The roll-up's rows by metric, bucket and facility (or bin). */
export function indexRows(rows: PartsRow[], binRows: BinRow[]): { partsIndex: PartsIndex; binsIndex: BinsIndex } {
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
  return { partsIndex, binsIndex };
}

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
export function bucketReader(partsIndex: PartsIndex, binsIndex: BinsIndex, bucket: number): Reader {
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
export function rangeReader(partsIndex: PartsIndex, binsIndex: BinsIndex): Reader {
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
