import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure } from "../../server/config";
import { disconnectDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createPartner, type TestPartner } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";

/**
 * While the database cannot be reached, the partner API answers 503 SERVICE_UNAVAILABLE,
 * retryable, with Retry-After — never a 500 (docs/operations.md#database-down). The
 * process is pointed at a port where nothing listens, then back.
 */

let server: RouteServer;
let partner: TestPartner;

beforeAll(async () => {
  server = await startRouteServer();
  partner = await createPartner();
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

describe("the database is down", () => {
  it("a read and a write get 503 SERVICE_UNAVAILABLE with Retry-After; back up, they work again", async () => {
    const headers = { authorization: `Bearer ${partner.apiKey}`, "content-type": "application/json" };
    const up = await fetch(`${server.url}/api/v1/facilities`, { headers });
    expect(up.status).toBe(200);

    await disconnectDb();
    await closeRateLimitPool();
    const down = new URL(process.env.DATABASE_URL!);
    down.port = "9"; // discard: nothing listens
    const restore = configure({ DATABASE_URL: down.toString() });
    try {
      for (const [method, path, body] of [
        ["GET", "/api/v1/facilities", undefined],
        ["POST", "/api/v1/bookings", JSON.stringify({})],
      ] as const) {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: { ...headers, ...(method === "POST" ? { "idempotency-key": `down-${Date.now()}` } : {}) },
          body,
        });
        const problem = await response.json();
        expect({ path, status: response.status, retryAfter: response.headers.get("retry-after"), code: problem.code, retryable: problem.retryable }).toEqual({
          path,
          status: 503,
          retryAfter: "5",
          code: "SERVICE_UNAVAILABLE",
          retryable: true,
        });
      }
    } finally {
      await disconnectDb();
      await closeRateLimitPool();
      restore();
    }
    expect((await fetch(`${server.url}/api/v1/facilities`, { headers })).status).toBe(200);
  });
});
