import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createFacilityWithPool, createPartner, holdInput, poolState } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

let server: RouteServer;

beforeAll(async () => {
  process.env.DATABASE_POOL_MAX = "40";
  server = await startRouteServer();
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

describe("no oversell through the HTTP API", () => {
  it("16 concurrent clients, 10,000 hold attempts, 100 available units: exactly 100 holds", async () => {
    const pool = await createFacilityWithPool({ units: 100 });
    const partner = await createPartner();
    await getDb().apiKey.update({ where: { id: partner.apiKeyId }, data: { writeRateLimitPerMinute: 1_000_000 } });
    const api = client(server.url, partner.apiKey);
    const before = await poolState(pool.poolId);
    const ATTEMPTS = 10_000;
    let next = 0;
    const statuses = new Map<string, number>();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ATTEMPTS) {
          next++;
          const r = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
          const key = `${r.status} ${r.json.code ?? ""}`.trim();
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
        }
      }),
    );
    expect(Object.fromEntries(statuses)).toEqual({ "201": 100, "409 INVENTORY_UNAVAILABLE": ATTEMPTS - 100 });
    const after = await poolState(pool.poolId);
    expect(after.counters).toEqual(after.actual);
    expect(after.counters.held).toBe(100);
    expect(after.pool.inventoryVersion).toBe(before.pool.inventoryVersion + 100);
    expect(await getDb().booking.count({ where: { poolId: pool.poolId } })).toBe(100);
  }, 300_000);
});
