import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configure } from "../../server/config";
import { disconnectDb } from "../../server/db";
import { startRouteServer, type RouteServer } from "../route-server";

/**
 * /api/metrics publishes occupancy per facility: it answers a Prometheus scrape that sends
 * the configured bearer token, and nobody else (docs/operations.md#health-and-metrics).
 */

let server: RouteServer;
let restore: (() => void) | undefined;
const TOKEN = "metrics-token-0123456789abcdef";

beforeAll(async () => {
  server = await startRouteServer();
});
afterEach(() => {
  restore?.();
  restore = undefined;
});
afterAll(async () => {
  await server.close();
  await disconnectDb();
});

const scrape = (authorization?: string) =>
  fetch(`${server.url}/api/metrics`, { headers: authorization ? { authorization } : {} }).then(async (r) => ({ status: r.status, text: await r.text() }));

describe("/api/metrics", () => {
  it("with a token configured: only a scrape bearing it gets the metrics", async () => {
    restore = configure({ HOLDFAST_METRICS_TOKEN: TOKEN });
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer wrong-token-0123456789abcdef")).status).toBe(401);
    expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("holdfast_metrics_snapshot_up");
  });

  it("outside demo mode without a token it is refused; in demo mode it is open", async () => {
    restore = configure({ HOLDFAST_DEMO: "0", HOLDFAST_METRICS_TOKEN: undefined });
    const refused = await scrape();
    expect(refused.status).toBe(401);
    expect(refused.text).not.toContain("holdfast_pool");
    restore();
    restore = configure({ HOLDFAST_DEMO: "1", HOLDFAST_METRICS_TOKEN: undefined });
    expect((await scrape()).status).toBe(200);
  });
});
