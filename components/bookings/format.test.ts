import { describe, expect, it } from "vitest";
import { actorLabel, bookingStatus, filterFromParams, formatLatency, hasFilters } from "./format";

describe("bookings format", () => {
  it("reads the filter from the query string as the server expects it", () => {
    expect(filterFromParams({})).toEqual({});
    expect(
      filterFromParams({ q: "  BK-7F3K2Q ", status: "cancelled,expired", facility: "LON-01", partner: "WEBSITE", moveInFrom: "2026-12-01", createdTo: "" }),
    ).toEqual({ q: "BK-7F3K2Q", status: ["CANCELLED", "EXPIRED"], facilityCode: "LON-01", partnerCode: "WEBSITE", moveInFrom: "2026-12-01" });
    expect(filterFromParams({ q: ["a", "b"] })).toEqual({ q: "a" });
    expect(hasFilters({ cursor: "x" })).toBe(false);
    expect(hasFilters({ status: "CONFIRMED" })).toBe(true);
  });

  it("names states and actors", () => {
    expect(bookingStatus("FULFILLED")).toEqual({ label: "Moved in", tone: "success" });
    expect(bookingStatus("ODD")).toEqual({ label: "ODD", tone: "neutral" });
    expect(actorLabel({ type: "USER", label: "support@demo.holdfast" })).toBe("support@demo.holdfast (user)");
    expect(actorLabel({ type: "SYSTEM", label: "system:expire-holds" })).toBe("system:expire-holds");
    expect(actorLabel(null)).toBe("unknown");
    expect(formatLatency(12)).toBe("12 ms");
    expect(formatLatency(1430)).toBe("1.4 s");
    expect(formatLatency(null)).toBe("—");
  });
});
