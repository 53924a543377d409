import { describe, expect, it } from "vitest";
import { KpiDashboardInput, resolveRange } from "./kpi-filters";

const NOW = new Date("2026-11-21T08:37:12Z");
const resolve = (input: Parameters<typeof KpiDashboardInput.parse>[0]) => resolveRange(KpiDashboardInput.parse(input), NOW);

describe("KPI ranges and bucket sizes", () => {
  it("24 h and 7 d are hourly, ending with the hour that holds now", () => {
    const day = resolve({ range: "24h" });
    expect(day.bucketSize).toBe("HOUR");
    expect(day.buckets).toHaveLength(24);
    expect(day.buckets.at(-1)!.toISOString()).toBe("2026-11-21T08:00:00.000Z");
    expect(day.end.toISOString()).toBe("2026-11-21T09:00:00.000Z");
    const week = resolve({ range: "7d" });
    expect(week.bucketSize).toBe("HOUR");
    expect(week.buckets).toHaveLength(168);
  });

  it("30 d and 90 d are daily UTC days, ending with today", () => {
    const month = resolve({ range: "30d" });
    expect(month.bucketSize).toBe("DAY");
    expect(month.buckets).toHaveLength(30);
    expect(month.buckets[0]!.toISOString()).toBe("2026-10-23T00:00:00.000Z");
    expect(month.buckets.at(-1)!.toISOString()).toBe("2026-11-21T00:00:00.000Z");
    expect(resolve({ range: "90d" }).buckets).toHaveLength(90);
  });

  it("a custom range is hourly up to 7 days and daily beyond, both days included", () => {
    const seven = resolve({ range: "custom", from: "2026-11-01", to: "2026-11-07" });
    expect(seven.bucketSize).toBe("HOUR");
    expect(seven.buckets).toHaveLength(7 * 24);
    const eight = resolve({ range: "custom", from: "2026-11-01", to: "2026-11-08" });
    expect(eight.bucketSize).toBe("DAY");
    expect(eight.buckets.map((b) => b.toISOString().slice(0, 10))).toEqual([
      "2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08",
    ]);
  });

  it("refuses a custom range without both days, backwards, or over 366 days", () => {
    expect(KpiDashboardInput.safeParse({ range: "custom", from: "2026-11-01" }).success).toBe(false);
    expect(KpiDashboardInput.safeParse({ range: "custom", from: "2026-11-08", to: "2026-11-01" }).success).toBe(false);
    expect(KpiDashboardInput.safeParse({ range: "custom", from: "2025-01-01", to: "2026-11-01" }).success).toBe(false);
    expect(KpiDashboardInput.safeParse({ range: "7d", facility: "LON 01" }).success).toBe(false);
    expect(KpiDashboardInput.safeParse({ range: "7d", extra: 1 }).success).toBe(false);
  });
});
