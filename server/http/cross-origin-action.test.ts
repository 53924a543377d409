import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "../../proxy";

/**
 * A server action forged from another origin is answered 403 FORBIDDEN by proxy.ts, not
 * left to Next.js's own check (a 500). The same action from the console's origin, or a
 * request that is not an action, goes on.
 */

function post(headers: Record<string, string>) {
  return proxy(new NextRequest("http://localhost:3000/admin", { method: "POST", headers: { host: "localhost:3000", ...headers } }));
}

describe("server actions from another origin", () => {
  it("are refused 403 with problem+json and the security headers", async () => {
    for (const origin of ["https://evil.example.com", "http://localhost:3001", "null"]) {
      const response = post({ "next-action": "7f3a", origin });
      expect({ origin, status: response.status }).toEqual({ origin, status: 403 });
      expect(await response.json()).toMatchObject({ code: "FORBIDDEN", retryable: false });
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("go on from the console's own origin, and plain posts are not actions", () => {
    expect(post({ "next-action": "7f3a", origin: "http://localhost:3000" }).status).toBe(200);
    expect(post({ "next-action": "7f3a", origin: "https://console.example.com", "x-forwarded-host": "console.example.com" }).status).toBe(200);
    expect(post({ origin: "https://evil.example.com" }).status).toBe(200);
  });
});
