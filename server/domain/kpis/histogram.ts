/**
 * Fixed log-scale latency bins, shared by the roll-up (which counts milliseconds into
 * them in SQL with width_bucket) and the read side (which merges bins across buckets,
 * facilities and partners and reads p50/p95 off the merged counts). Percentiles cannot be
 * averaged; bin counts can be added.
 *
 * Ten bins per decade from 1 ms to 10^8 ms (≈ 27.8 h, past the webhook retry schedule's
 * last attempt): bin 0 is [0, 1 ms), bin i (1 … 80) is [10^((i−1)/10), 10^(i/10)) ms and
 * bin 81 everything from 10^8 ms up. A percentile is reported as the geometric middle of
 * the bin holding its nearest rank, so it is within ±12 % of the true value.
 */

const BINS_PER_DECADE = 10;
const DECADES = 8;

/**
 * The lower edges of bins 1 … 81, rounded to 6 significant digits so the SQL (which gets
 * this very array) and TypeScript compare against identical numbers.
 */
export const BIN_THRESHOLDS_MS: readonly number[] = Array.from({ length: DECADES * BINS_PER_DECADE + 1 }, (_, i) =>
  Number((10 ** (i / BINS_PER_DECADE)).toPrecision(6)),
);

/** 82 bins: 0 (below 1 ms), 1 … 80, 81 (10^8 ms and above). */
export const BIN_COUNT = BIN_THRESHOLDS_MS.length + 1;

/** The bin of a latency in ms: PostgreSQL's width_bucket(ms, thresholds) in TypeScript. */
export function binOf(ms: number): number {
  let lo = 0;
  let hi = BIN_THRESHOLDS_MS.length;
  // the number of thresholds ≤ ms
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BIN_THRESHOLDS_MS[mid]! <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** [lower, upper) edges of a bin in ms; the last bin has no upper edge (Infinity). */
export function binEdges(bin: number): [number, number] {
  if (bin <= 0) return [0, BIN_THRESHOLDS_MS[0]!];
  if (bin >= BIN_THRESHOLDS_MS.length) return [BIN_THRESHOLDS_MS.at(-1)!, Infinity];
  return [BIN_THRESHOLDS_MS[bin - 1]!, BIN_THRESHOLDS_MS[bin]!];
}

/** The value a percentile in this bin is reported as: its geometric middle (0.5 ms for bin 0, the lower edge for the last). */
export function binValue(bin: number): number {
  const [lower, upper] = binEdges(bin);
  if (bin <= 0) return upper / 2;
  if (!Number.isFinite(upper)) return lower;
  return Number(Math.sqrt(lower * upper).toPrecision(4));
}

/** Counts per bin, sparse: bin → count. */
export type Bins = ReadonlyMap<number, number>;

export function mergeBins(into: Map<number, number>, bins: Iterable<[number, number]>): Map<number, number> {
  for (const [bin, count] of bins) into.set(bin, (into.get(bin) ?? 0) + count);
  return into;
}

/**
 * The p-th percentile (0 < p ≤ 1) by nearest rank: the bin holding the ⌈p·n⌉-th smallest
 * value, reported as binValue(bin); null when there are no values.
 */
export function percentileFromBins(bins: Bins, p: number): number | null {
  let n = 0;
  for (const count of bins.values()) n += count;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (const bin of [...bins.keys()].sort((a, b) => a - b)) {
    seen += bins.get(bin)!;
    if (seen >= rank) return binValue(bin);
  }
  return binValue(Math.max(...bins.keys()));
}
