import { describe, expect, it } from "vitest";
import { requestMetaFrom } from "./request-meta";

describe("requestMetaFrom", () => {
  it("takes the address the server stamped, the user agent and the proxy's correlation id", () => {
    const headers = new Headers({
      "x-holdfast-client-ip": "203.0.113.7",
      "user-agent": "Firefox",
      "x-correlation-id": "cor_abc123",
    });
    expect(requestMetaFrom(headers)).toEqual({ ip: "203.0.113.7", userAgent: "Firefox", correlationId: "cor_abc123" });
  });

  it("never believes X-Forwarded-For or X-Real-IP as sent: anyone can write them", () => {
    expect(requestMetaFrom({ "x-forwarded-for": "198.51.100.9", "x-real-ip": "2001:db8::1" }).ip).toBeNull();
    expect(requestMetaFrom({ "x-forwarded-for": "198.51.100.9", "x-holdfast-client-ip": "203.0.113.7" }).ip).toBe("203.0.113.7");
  });

  it("drops an address that is not one, and makes a correlation id when there is none", () => {
    const meta = requestMetaFrom({ "x-holdfast-client-ip": "<script>" });
    expect(meta.ip).toBeNull();
    expect(meta.userAgent).toBeNull();
    expect(meta.correlationId).toMatch(/^cor_[0-9a-f]{32}$/);
  });
});
