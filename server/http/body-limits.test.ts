import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "./api-routes";
import {
  AUTH_FORM_MAX_BODY_BYTES,
  bodyLimitFor,
  CONSOLE_MAX_BODY_BYTES,
  DEMO_RECEIVER_MAX_BODY_BYTES,
  IMPORT_MAX_BODY_BYTES,
  LARGEST_BODY_LIMIT,
  MAX_PAYMENT_WEBHOOK_BYTES,
  PARTNER_API_MAX_BODY_BYTES,
  TRPC_MAX_BODY_BYTES,
} from "./body-limits";

describe("bodyLimitFor", () => {
  it.each([
    ["/api/v1/bookings", PARTNER_API_MAX_BODY_BYTES],
    ["/api/v1/bookings/BK-1/cancel", PARTNER_API_MAX_BODY_BYTES],
    ["/api/webhooks/payments", MAX_PAYMENT_WEBHOOK_BYTES],
    ["/api/demo-receiver/acme", DEMO_RECEIVER_MAX_BODY_BYTES],
    ["/api/auth/callback/credentials", AUTH_FORM_MAX_BODY_BYTES],
    ["/api/trpc/bookings.list", TRPC_MAX_BODY_BYTES],
    ["/api/health", PARTNER_API_MAX_BODY_BYTES],
    ["/api/v1x", PARTNER_API_MAX_BODY_BYTES],
    ["/bookings", CONSOLE_MAX_BODY_BYTES],
    ["/catalogue/imports/new", IMPORT_MAX_BODY_BYTES],
    ["/", CONSOLE_MAX_BODY_BYTES],
  ])("%s → %i bytes", (path, limit) => {
    expect(bodyLimitFor(path)).toBe(limit);
  });

  it("gives every API route a limit no larger than what Next.js may buffer", () => {
    for (const route of API_ROUTES) expect(bodyLimitFor(route.path.replace(/\[[^\]]+\]/g, "x"))).toBeLessThanOrEqual(LARGEST_BODY_LIMIT);
  });

  it("is what next.config.js lets Next.js buffer for proxy.ts and a server action", () => {
    const nextConfig = createRequire(import.meta.url)("../../next.config.js") as {
      experimental: { proxyClientMaxBodySize: number; serverActions: { bodySizeLimit: number } };
    };
    expect(nextConfig.experimental.proxyClientMaxBodySize).toBe(LARGEST_BODY_LIMIT);
    // the catalogue's import upload is a server action: the gate holds every other page to CONSOLE_MAX_BODY_BYTES
    expect(nextConfig.experimental.serverActions.bodySizeLimit).toBe(LARGEST_BODY_LIMIT);
    expect(bodyLimitFor("/catalogue/imports/new")).toBe(LARGEST_BODY_LIMIT);
    expect(bodyLimitFor("/bookings/HF-1")).toBe(CONSOLE_MAX_BODY_BYTES);
  });
});
