import { expect, test } from "@playwright/test";
import { USERS, signIn } from "./fixtures";

/**
 * Issue #10's edges against `next start`: what no route can read is a clean 4xx with
 * problem+json (proxy.ts, instrumentation.ts), never a 500 — console pages included.
 */
test.describe("malformed requests", () => {
  for (const path of ["/bookings/%ZZ", "/bookings/%C0%AF", "/inventory/%C0%AF", "/webhooks/deliveries/%ZZ", "/drift/%E0%A4%A", "/bookings/BK-%00"]) {
    test(`a console page at ${path} answers 400, not 500`, async ({ page }) => {
      await signIn(page, USERS.admin);
      const response = await page.request.get(path);
      expect(response.status()).toBe(400);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
      expect(await response.json()).toMatchObject({ code: "MALFORMED_REQUEST", status: 400 });
    });
  }

  test("TRACE is a 405 with Allow on pages and API routes", async ({ request }) => {
    for (const path of ["/", "/bookings", "/api/v1/bookings", "/api/health"]) {
      const response = await request.fetch(path, { method: "TRACE" });
      expect(response.status(), path).toBe(405);
      expect(response.headers()["allow"], path).toBeTruthy();
      expect(await response.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
    }
  });

  test("unknown API paths are a problem+json 404, wrong methods a 405 with Allow", async ({ request }) => {
    const unknown = await request.get("/api/v1/no-such-thing");
    expect(unknown.status()).toBe(404);
    expect(unknown.headers()["content-type"]).toContain("application/problem+json");
    const wrong = await request.fetch("/api/v1/bookings", { method: "PUT" });
    expect(wrong.status()).toBe(405);
    expect(wrong.headers()["allow"]).toBe("POST, OPTIONS");
  });

  test("GET /api/auth/callback/credentials is a clean 405, not next-auth's raw error", async ({ request }) => {
    const response = await request.get("/api/auth/callback/credentials", { maxRedirects: 0 });
    expect(response.status()).toBe(405);
    expect(await response.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
  });
});
