import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool, INBOUND_REJECTIONS_PER_MINUTE } from "../../server/domain/rate-limits/consume";
import { startRouteServer, type RouteServer } from "../route-server";

/**
 * Unsigned payment webhooks are rate-limited per sender address before they are stored
 * (docs/operations.md#payment-webhooks-failing): a flood cannot fill the inbound table.
 * The route server stamps the socket's address (127.0.0.1), whatever X-Forwarded-For says.
 */

let server: RouteServer;

beforeAll(async () => {
  server = await startRouteServer();
  // this address's budget, fresh: other files may have posted bad webhooks from loopback
  await getDb().$executeRaw`delete from rate_limits where key like 'inbound:rejected:%'`;
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

describe("unsigned payment webhooks", () => {
  it(`are stored at most ${INBOUND_REJECTIONS_PER_MINUTE} a minute per address; the rest get 429 with Retry-After, unstored`, async () => {
    const marker = `flood-${Date.now()}`;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < INBOUND_REJECTIONS_PER_MINUTE + 5; i++) {
      const response = await fetch(`${server.url}/api/webhooks/payments`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.${i}` },
        body: JSON.stringify({ marker, i }),
      });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
      await response.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(INBOUND_REJECTIONS_PER_MINUTE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const stored = await getDb().inboundWebhookEvent.count({ where: { status: "REJECTED", rawBody: { contains: marker } } });
    expect(stored).toBe(INBOUND_REJECTIONS_PER_MINUTE);
  });
});
