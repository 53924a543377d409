import { describe, expect, it } from "vitest";
import { safeCallbackPath, SIGN_IN_ERROR, signInErrorMessage } from "./sign-in-errors";

describe("safeCallbackPath", () => {
  it.each([
    ["/bookings", "/bookings"],
    ["/bookings?status=confirmed&page=2", "/bookings?status=confirmed&page=2"],
    ["/inventory/LON-01", "/inventory/LON-01"],
  ])("keeps the same-site path %s", (raw, expected) => {
    expect(safeCallbackPath(raw)).toBe(expected);
  });

  it.each([
    [undefined],
    [""],
    ["https://evil.example/"],
    ["http://localhost:3101/bookings"],
    ["//evil.example/x"],
    ["/\\evil.example"],
    ["/ok\\..\\x"],
    ["javascript:alert(1)"],
    ["bookings"],
    ["/login"],
    ["/login?callbackUrl=/x"],
    ["/api/auth/signout"],
    ["/x\u0000y"],
    ["/x\ny"],
  ])("falls back for %j", (raw) => {
    expect(safeCallbackPath(raw)).toBe("/inventory");
  });
});

describe("signInErrorMessage", () => {
  it("says plainly what went wrong", () => {
    expect(signInErrorMessage(SIGN_IN_ERROR.INVALID)).toMatch(/do not match/);
    expect(signInErrorMessage(SIGN_IN_ERROR.RATE_LIMITED)).toMatch(/Too many failed sign-in attempts/);
    expect(signInErrorMessage("Something")).toMatch(/Sign-in failed/);
    expect(signInErrorMessage(null)).toBeNull();
  });
});
