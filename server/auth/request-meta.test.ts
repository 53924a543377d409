import { describe, expect, it } from "vitest";
import { requestMetaFrom } from "./request-meta";

describe("requestMetaFrom", () => {
  it("takes the first forwarded address, the user agent and the proxy's correlation id", () => {
    const headers = new Headers({
      "x-forwarded-for": "203.0.113.7, 10.0.0.1",
      "user-agent": "Firefox",
      "x-correlation-id": "cor_abc123",
    });
    expect(requestMetaFrom(headers)).toEqual({ ip: "203.0.113.7", userAgent: "Firefox", correlationId: "cor_abc123" });
  });

  it("reads next-auth's plain header object too, and falls back to X-Real-IP", () => {
    expect(requestMetaFrom({ "x-real-ip": "2001:db8::1" }).ip).toBe("2001:db8::1");
  });

  it("drops an address that is not one, and makes a correlation id when there is none", () => {
    const meta = requestMetaFrom({ "x-forwarded-for": "<script>" });
    expect(meta.ip).toBeNull();
    expect(meta.userAgent).toBeNull();
    expect(meta.correlationId).toMatch(/^cor_[0-9a-f]{32}$/);
  });
});
