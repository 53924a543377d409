import { describe, expect, it } from "vitest";
import { formatArea, formatDimensions, formatFacilityTime, formatMoney, formatOccupancy, formatUtcTime } from "./format";

describe("inventory formatting", () => {
  it("formats monthly rates in the facility's currency", () => {
    expect(formatMoney(12_900, "GBP", "GB")).toBe("£129.00");
    expect(formatMoney(18_950, "USD", "US")).toBe("$189.50");
    expect(formatMoney(21_000, "AUD", "AU")).toBe("$210.00");
    expect(formatMoney(100_000, "USD", "US")).toBe("$1,000.00");
  });

  it("shows a plain amount when the currency is unknown", () => {
    expect(formatMoney(12_345, null, "ZZ")).toBe("123.45");
  });

  it("formats sizes", () => {
    expect(formatDimensions(10, 7.5)).toBe("10 × 7.5 ft");
    expect(formatArea(75)).toBe("75 sq ft");
  });

  it("formats occupancy, with an empty pool as a dash", () => {
    expect(formatOccupancy(3, 4)).toBe("75%");
    expect(formatOccupancy(0, 0)).toBe("—");
  });

  it("shows a facility's local time in its own timezone", () => {
    const at = new Date("2026-01-15T12:00:00Z");
    expect(formatFacilityTime(at, "Europe/London")).toMatch(/12:00/);
    expect(formatFacilityTime(at, "America/New_York")).toMatch(/07:00/);
    expect(formatFacilityTime(at, "Australia/Sydney")).toMatch(/23:00/);
    expect(formatFacilityTime(at, "Not/AZone")).toBe("—");
    expect(formatUtcTime(at)).toBe("12:00:00 UTC");
  });
});
