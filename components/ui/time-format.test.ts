import { describe, expect, it } from "vitest";
import { formatClock, formatInZone, formatLatency, formatUtc, toDate } from "./time-format";

describe("time formatting", () => {
  const instant = new Date("2026-07-01T12:34:56.789Z");

  it("writes a time in the facility's zone with its abbreviation", () => {
    expect(formatInZone(instant, "Europe/London")).toBe("1 Jul 2026, 13:34 GMT+1");
    expect(formatInZone(instant, "America/New_York")).toBe("1 Jul 2026, 08:34 EDT");
    expect(formatInZone(instant, "UTC", { withSeconds: true })).toBe("1 Jul 2026, 12:34:56 UTC");
  });

  it("falls back to UTC for an unknown zone instead of throwing", () => {
    expect(formatInZone(instant, "Mars/Olympus")).toBe("1 Jul 2026, 12:34 UTC");
  });

  it("writes the exact UTC instant for hover titles", () => {
    expect(formatUtc(instant)).toBe("2026-07-01 12:34:56.789 UTC");
  });

  it("reads only valid dates", () => {
    expect(toDate(null)).toBeNull();
    expect(toDate("not a date")).toBeNull();
    expect(toDate("2026-07-01T00:00:00Z")?.toISOString()).toBe("2026-07-01T00:00:00.000Z");
  });

  it("writes countdowns and latencies", () => {
    expect(formatClock(899)).toBe("14:59");
    expect(formatClock(3723)).toBe("1:02:03");
    expect(formatClock(-5)).toBe("0:00");
    expect(formatLatency(850)).toBe("850 ms");
    expect(formatLatency(1234)).toBe("1.2 s");
    expect(formatLatency(null)).toBe("—");
  });
});
