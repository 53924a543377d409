import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "./security-headers";

describe("security headers", () => {
  const nonce = "bm9uY2Utbm9uY2Utbm9uY2U=";

  it("a strict CSP: nonce and strict-dynamic for scripts, no eval in production, nothing framed, no base, no plugins", () => {
    const csp = contentSecurityPolicy(nonce, { development: false });
    expect(csp.split("; ")).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
      ]),
    );
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(contentSecurityPolicy(nonce, { development: true })).toContain("'unsafe-eval'");
  });

  it("a fresh, unguessable nonce per request", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    expect([...nonces].filter((n) => !/^[A-Za-z0-9+/]{24}$/.test(n))).toEqual([]);
  });

  it("HSTS only over https (or behind a configured TLS proxy), Permissions-Policy always", () => {
    const plain = securityHeaders({ pathname: "/bookings", https: false, development: false, nonce });
    expect(plain["strict-transport-security"]).toBeUndefined();
    expect(plain["permissions-policy"]?.split(", ")).toEqual(expect.arrayContaining(["camera=()", "microphone=()", "geolocation=()", "payment=()"]));
    expect(securityHeaders({ pathname: "/bookings", https: true, development: false, nonce })["strict-transport-security"]).toBe(
      "max-age=31536000; includeSubDomains",
    );
  });

  it("API answers are no-store, except the OpenAPI document; pages are left to Next.js", () => {
    const at = (pathname: string) => securityHeaders({ pathname, https: false, development: false, nonce })["cache-control"];
    expect(at("/api/v1/bookings")).toBe("no-store");
    expect(at("/api/trpc/bookings.search")).toBe("no-store");
    expect(at("/api")).toBe("no-store");
    expect(at("/api/v1/openapi.json")).toBeUndefined();
    expect(at("/bookings")).toBeUndefined();
  });
});
