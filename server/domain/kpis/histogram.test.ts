import { describe, expect, it } from "vitest";
import { BIN_COUNT, BIN_THRESHOLDS_MS, binEdges, binOf, binValue, mergeBins, percentileFromBins } from "./histogram";

describe("latency bins", () => {
  it("has 82 bins, ten per decade from 1 ms to 10^8 ms", () => {
    expect(BIN_COUNT).toBe(82);
    expect(BIN_THRESHOLDS_MS[0]).toBe(1);
    expect(BIN_THRESHOLDS_MS[10]).toBe(10);
    expect(BIN_THRESHOLDS_MS[30]).toBe(1000);
    expect(BIN_THRESHOLDS_MS.at(-1)).toBe(1e8);
  });

  it("puts a value in the bin whose edges hold it (lower edge inclusive), like width_bucket", () => {
    expect(binOf(0)).toBe(0);
    expect(binOf(0.99)).toBe(0);
    expect(binOf(1)).toBe(1);
    expect(binOf(9.99)).toBe(10);
    expect(binOf(10)).toBe(11);
    expect(binOf(1000)).toBe(31);
    expect(binOf(2e8)).toBe(81);
    for (const ms of [0.5, 3, 42, 400, 1_800, 15_000, 6.4e6]) {
      const [lower, upper] = binEdges(binOf(ms));
      expect(ms).toBeGreaterThanOrEqual(lower);
      expect(ms).toBeLessThan(upper);
    }
  });

  it("reports a bin as its geometric middle, within 12 % of anything in it", () => {
    for (const ms of [1, 3, 42, 400, 999, 1_800, 15_000, 6.4e6]) {
      expect(binValue(binOf(ms)) / ms).toBeGreaterThan(1 / 1.13);
      expect(binValue(binOf(ms)) / ms).toBeLessThan(1.13);
    }
  });

  it("reads nearest-rank percentiles off merged bins", () => {
    const a = new Map<number, number>();
    mergeBins(a, [100, 200].map((ms) => [binOf(ms), 1] as [number, number]));
    const b = new Map<number, number>([[binOf(400), 1], [binOf(800), 1], [binOf(15_000), 1]]);
    const merged = mergeBins(new Map(a), b);
    expect(percentileFromBins(merged, 0.5)).toBe(binValue(binOf(400)));
    expect(percentileFromBins(merged, 0.95)).toBe(binValue(binOf(15_000)));
    expect(percentileFromBins(merged, 0.2)).toBe(binValue(binOf(100)));
    expect(percentileFromBins(new Map(), 0.5)).toBeNull();
  });
});
