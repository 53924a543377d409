import { describe, expect, it } from "vitest";
import {
  adminHref,
  formatDateTime,
  formatDuration,
  formatRateLimit,
  minutesToSeconds,
  optionalInteger,
  parseAdminTab,
  partnerKindLabel,
  secondsToMinutes,
  splitDateTime,
} from "./format";

describe("admin formatting", () => {
  it("writes times in UTC, saying so, and 'Never' for none", () => {
    expect(formatDateTime(new Date("2026-11-21T05:35:12Z"))).toBe("21 Nov 2026, 05:35 UTC");
    expect(formatDateTime("2026-01-02T23:59:00.000Z")).toBe("2 Jan 2026, 23:59 UTC");
    expect(formatDateTime(null)).toBe("Never");
    expect(formatDateTime(undefined, "—")).toBe("—");
    expect(splitDateTime(new Date("2026-11-21T05:35:12Z"))).toEqual({ date: "21 Nov 2026", time: "05:35 UTC" });
    expect(splitDateTime(null)).toBeNull();
  });

  it("writes hold TTLs as people say them", () => {
    expect(formatDuration(900)).toBe("15 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(5400)).toBe("1 h 30 min");
    expect(formatDuration(90)).toBe("1 min 30 s");
    expect(formatDuration(86_400)).toBe("24 h");
    expect(formatDuration(0)).toBe("0 s");
  });

  it("converts form minutes to whole seconds and back", () => {
    expect(minutesToSeconds("15")).toBe(900);
    expect(minutesToSeconds("1.5")).toBe(90);
    expect(minutesToSeconds(" ")).toBeNull();
    expect(minutesToSeconds("abc")).toBeNull();
    expect(secondsToMinutes(900)).toBe("15");
    expect(secondsToMinutes(90)).toBe("1.5");
  });

  it("writes rate limits and reads optional integers", () => {
    expect(formatRateLimit(null)).toBe("default");
    expect(formatRateLimit(1200)).toBe("1,200/min");
    expect(optionalInteger("")).toBeNull();
    expect(optionalInteger("60")).toBe(60);
    expect(optionalInteger("x")).toBeNaN();
  });

  it("keeps the tab (and partner) in the URL, defaulting to partners", () => {
    expect(parseAdminTab("users")).toBe("users");
    expect(parseAdminTab("nonsense")).toBe("partners");
    expect(parseAdminTab(null)).toBe("partners");
    expect(adminHref("keys", "MARKETPLACE")).toBe("/admin?tab=keys&partner=MARKETPLACE");
    expect(adminHref("users", "MARKETPLACE")).toBe("/admin?tab=users");
    expect(partnerKindLabel("PHONE_AGENT")).toBe("Phone agent");
    expect(partnerKindLabel("NEW_KIND")).toBe("NEW_KIND");
  });
});
