import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "../../proxy";
import { CORRELATION_HEADER, correlationIdFrom, correlationIdOf, isValidCorrelationId, newCorrelationId } from "./correlation";

describe("correlation ids", () => {
  it("keeps a sane caller id, trimmed", () => {
    expect(correlationIdFrom("  req-123_abc:9.x  ")).toBe("req-123_abc:9.x");
    expect(correlationIdFrom("a".repeat(128))).toBe("a".repeat(128));
  });

  it.each([null, undefined, "", "   ", "has space", "semi;colon", "é", "<script>", "a".repeat(129), "line\nbreak"])(
    "replaces %j with a new id",
    (value) => {
      const id = correlationIdFrom(value);
      expect(id).toMatch(/^cor_[0-9a-f]{32}$/);
      expect(id).not.toBe(value);
    },
  );

  it("generates distinct, valid ids", () => {
    const a = newCorrelationId();
    const b = newCorrelationId();
    expect(a).not.toBe(b);
    expect(isValidCorrelationId(a)).toBe(true);
  });

  it("reads the id from a Request or from Headers", () => {
    const request = new Request("http://x/api", { headers: { "X-Correlation-Id": "abc-1" } });
    expect(correlationIdOf(request)).toBe("abc-1");
    expect(correlationIdOf(request.headers)).toBe("abc-1");
    expect(correlationIdOf(new Headers())).toMatch(/^cor_/);
  });
});

describe("proxy.ts", () => {
  it("forwards a sane caller id to the route and returns it", () => {
    const response = proxy(new NextRequest("http://localhost/api/v1/availability", { headers: { [CORRELATION_HEADER]: "partner-42" } }));
    expect(response.headers.get(CORRELATION_HEADER)).toBe("partner-42");
    // NextResponse.next({ request: { headers } }) hands request headers to the route this way.
    expect(response.headers.get(`x-middleware-request-${CORRELATION_HEADER}`)).toBe("partner-42");
    expect(response.headers.get("x-middleware-override-headers")).toContain(CORRELATION_HEADER);
  });

  it("replaces a bad id, and sends the same new id both ways", () => {
    const response = proxy(new NextRequest("http://localhost/bookings", { headers: { [CORRELATION_HEADER]: "bad id;" } }));
    const id = response.headers.get(CORRELATION_HEADER);
    expect(id).toMatch(/^cor_[0-9a-f]{32}$/);
    expect(response.headers.get(`x-middleware-request-${CORRELATION_HEADER}`)).toBe(id);
  });

  it("keeps the caller's other request headers", () => {
    const response = proxy(new NextRequest("http://localhost/x", { headers: { authorization: "Bearer k" } }));
    expect(response.headers.get("x-middleware-request-authorization")).toBe("Bearer k");
  });

  it("matches every route but static assets", () => {
    const pattern = new RegExp(`^${config.matcher[0]!.replace("/(", "/(?:")}$`);
    for (const path of ["/", "/bookings/BK-1", "/api/v1/bookings", "/api/health", "/_next/data/x.json"]) {
      expect(pattern.test(path), path).toBe(true);
    }
    for (const path of ["/_next/static/chunks/a.js", "/_next/image", "/favicon.ico"]) {
      expect(pattern.test(path), path).toBe(false);
    }
  });
});
