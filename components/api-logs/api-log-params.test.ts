import { describe, expect, it } from "vitest";
import { apiLogFilterFromParams, apiLogsHref, idempotencyHref, prettyBody } from "./api-log-params";

describe("the request log's URL filter", () => {
  it("reads every filter, normalising codes and dates", () => {
    expect(
      apiLogFilterFromParams({
        partner: "marketplace",
        method: "post",
        status: "409",
        statusClass: "4xx",
        code: "hold_expired",
        bookingReference: "bk-7f3k2q",
        correlationId: " cor-1 ",
        from: "2026-12-01T00:00:00Z",
        to: "2026-12-02T00:00:00Z",
      }),
    ).toEqual({
      partner: "MARKETPLACE",
      method: "POST",
      status: 409,
      statusClass: "4xx",
      code: "HOLD_EXPIRED",
      bookingReference: "BK-7F3K2Q",
      correlationId: "cor-1",
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-02T00:00:00.000Z",
    });
  });

  it("leaves out what cannot be a filter instead of failing the page", () => {
    expect(apiLogFilterFromParams({ method: "BREW", status: "42", code: "1=1", from: "yesterday", statusClass: "6xx" })).toEqual({});
    expect(apiLogFilterFromParams({ partner: "MARKET PLACE", bookingReference: "BK 1", facility: "'; --" })).toEqual({});
    // a range that ends before it starts keeps its start only
    expect(apiLogFilterFromParams({ from: "2026-12-02T00:00:00Z", to: "2026-12-01T00:00:00Z" })).toEqual({ from: "2026-12-02T00:00:00.000Z" });
  });

  it("round-trips through a link", () => {
    const href = apiLogsHref({ code: "RATE_LIMITED", partner: "MARKETPLACE", status: 429, route: "/api/v1/bookings/{reference}/confirm" });
    expect(href).toBe("/api-logs?partner=MARKETPLACE&route=%2Fapi%2Fv1%2Fbookings%2F%7Breference%7D%2Fconfirm&status=429&code=RATE_LIMITED");
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(apiLogFilterFromParams(params)).toEqual({ partner: "MARKETPLACE", route: "/api/v1/bookings/{reference}/confirm", status: 429, code: "RATE_LIMITED" });
    expect(idempotencyHref("MARKETPLACE", "key 1")).toBe("/api-logs/idempotency?partner=MARKETPLACE&key=key+1");
  });

  it("pretty-prints JSON bodies and leaves others as they are", () => {
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyBody("plain")).toBe("plain");
    expect(prettyBody(null)).toBe("");
  });
});
