import { describe, expect, it } from "vitest";
import { bucketCaption, bucketLabel, csvValue, formatKpiValue } from "./format";
import { customRangeProblem, kpiInputFromParams } from "./params";

describe("KPI filters from the URL", () => {
  it("defaults to the last 7 days, everything", () => {
    expect(kpiInputFromParams({})).toEqual({ range: "7d" });
  });

  it("keeps a known range, a facility and a partner (upper-cased)", () => {
    expect(kpiInputFromParams({ range: "30d", facility: "lon-01", partner: "MARKETPLACE" })).toEqual({
      range: "30d",
      facility: "LON-01",
      partner: "MARKETPLACE",
    });
  });

  it("drops what is malformed instead of failing the page", () => {
    expect(kpiInputFromParams({ range: "1y", facility: "<script>", partner: ["", "x"] })).toEqual({ range: "7d" });
  });

  it("takes a custom range only when both days are valid and in order", () => {
    expect(kpiInputFromParams({ range: "custom", from: "2026-11-01", to: "2026-11-05" })).toEqual({
      range: "custom",
      from: "2026-11-01",
      to: "2026-11-05",
    });
    expect(kpiInputFromParams({ range: "custom", from: "2026-11-05", to: "2026-11-01" })).toEqual({ range: "7d" });
    expect(customRangeProblem({ range: "custom", from: "2026-11-05", to: "2026-11-01" })).toMatch(/before the first/);
    expect(customRangeProblem({ range: "custom", from: "2026-11-05" })).toMatch(/first and a last day/);
    expect(customRangeProblem({ range: "custom", from: "2024-01-01", to: "2026-01-01" })).toMatch(/at most 366 days/);
    expect(customRangeProblem({ range: "30d" })).toBeNull();
  });
});

describe("KPI formatting", () => {
  it("labels hourly buckets in the zone asked for and daily ones as UTC days", () => {
    const start = new Date("2026-07-09T13:00:00Z");
    expect(bucketLabel(start, "HOUR", "UTC")).toBe("9 Jul, 13:00");
    expect(bucketLabel(start, "HOUR", "Europe/London")).toBe("9 Jul, 14:00");
    expect(bucketLabel(new Date("2026-07-09T00:00:00Z"), "DAY", "Australia/Sydney")).toBe("9 Jul");
    expect(bucketCaption("HOUR", "Europe/London")).toMatch(/Europe\/London/);
    expect(bucketCaption("DAY", "Europe/London")).toMatch(/UTC days/);
  });

  it("formats values by unit, and writes percent as a number of percent in the CSV", () => {
    expect(formatKpiValue(0.8456, "percent")).toBe("84.6 %");
    expect(formatKpiValue(null, "percent")).toBe("—");
    expect(formatKpiValue(420, "ms")).toBe("420 ms");
    expect(formatKpiValue(6_400, "ms")).toBe("6.4 s");
    expect(formatKpiValue(1234, "count")).toBe("1,234");
    expect(csvValue(2 / 3, "percent")).toBe(66.67);
    expect(csvValue(null, "count")).toBeNull();
  });
});
