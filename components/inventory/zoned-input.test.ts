import { describe, expect, it } from "vitest";
import { utcToZonedLocal, zonedLocalToUtc } from "./zoned-input";

describe("zonedLocalToUtc", () => {
  it("reads a wall-clock time in the facility's zone", () => {
    expect(zonedLocalToUtc("2026-11-21T14:30", "Europe/London")?.toISOString()).toBe("2026-11-21T14:30:00.000Z");
    expect(zonedLocalToUtc("2026-07-01T14:30", "Europe/London")?.toISOString()).toBe("2026-07-01T13:30:00.000Z");
    expect(zonedLocalToUtc("2026-11-21T09:15:30", "America/New_York")?.toISOString()).toBe("2026-11-21T14:15:30.000Z");
    expect(zonedLocalToUtc("2026-11-22T08:00", "Australia/Sydney")?.toISOString()).toBe("2026-11-21T21:00:00.000Z");
  });

  it("handles the days the clocks change", () => {
    // London springs forward 2026-03-29 01:00 UTC: 01:30 local does not exist → after the gap
    expect(zonedLocalToUtc("2026-03-29T02:30", "Europe/London")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(zonedLocalToUtc("2026-03-29T00:30", "Europe/London")?.toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(zonedLocalToUtc("2026-03-29T03:00", "Europe/London")?.toISOString()).toBe("2026-03-29T02:00:00.000Z");
  });

  it("refuses text that is not a time", () => {
    for (const bad of ["", "tomorrow", "2026-13-01T10:00", "2026-11-21 10:00", "2026-11-21T25:00"]) {
      expect(zonedLocalToUtc(bad, "Europe/London")).toBeNull();
    }
  });
});

describe("utcToZonedLocal", () => {
  it("writes the instant as the facility's wall clock", () => {
    const at = new Date("2026-11-21T14:15:30.500Z");
    expect(utcToZonedLocal(at, "America/New_York")).toBe("2026-11-21T09:15");
    expect(utcToZonedLocal(at, "America/New_York", { withSeconds: true })).toBe("2026-11-21T09:15:30");
    expect(utcToZonedLocal(at, "Australia/Sydney")).toBe("2026-11-22T01:15");
  });

  it("round-trips", () => {
    const at = new Date("2026-06-15T23:59:00Z");
    for (const zone of ["Europe/London", "America/New_York", "Australia/Sydney", "UTC"]) {
      expect(zonedLocalToUtc(utcToZonedLocal(at, zone), zone)?.toISOString()).toBe(at.toISOString());
    }
  });
});
