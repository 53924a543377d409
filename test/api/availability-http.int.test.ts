import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { blockUnit } from "../../server/domain/inventory/block-unit";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createConsoleUser, createFacilityWithPool, createPartner, holdInput, poolState } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

// Issue #10 as a partner saw it (docs/availability.md): 44 holds raced for a pool that
// GET /availability showed with 4 free units, 3 were granted and the pool still showed 1.
let server: RouteServer;

beforeAll(async () => {
  process.env.DATABASE_POOL_MAX = "50";
  server = await startRouteServer();
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

describe("GET /availability is what POST /bookings can take", () => {
  it("44 concurrent holds for a pool advertising 4 free units, one with a scheduled block: 4 are granted, and 0 are left advertised", async () => {
    const pool = await createFacilityWithPool({ units: 4 });
    const partner = await createPartner();
    await getDb().apiKey.update({ where: { id: partner.apiKeyId }, data: { writeRateLimitPerMinute: 1_000_000, readRateLimitPerMinute: 1_000_000 } });
    const manager = await createConsoleUser({ role: "OPS_LEAD" });
    await blockUnit(
      { facility_code: pool.facilityCode, unit_code: "A-100", reason: "CLEANING", starts_at: new Date(Date.now() + 3_600_000).toISOString() },
      manager.actor,
    );
    const api = client(server.url, partner.apiKey);
    const advertised = async () => {
      const r = await api("GET", `/api/v1/availability?facility_code=${pool.facilityCode}`);
      expect(r.status).toBe(200);
      return (r.json.data as { available: number }[])[0]!.available;
    };
    expect(await advertised()).toBe(4);

    const responses = await Promise.all(Array.from({ length: 44 }, () => api("POST", "/api/v1/bookings", { body: holdInput(pool) })));
    const statuses: Record<string, number> = {};
    for (const r of responses) {
      const key = `${r.status} ${String(r.json.code ?? "")}`.trim();
      statuses[key] = (statuses[key] ?? 0) + 1;
    }
    expect(statuses).toEqual({ "201": 4, "409 INVENTORY_UNAVAILABLE": 40 });
    expect(await advertised()).toBe(0);
    const after = await poolState(pool.poolId);
    expect(after.counters).toEqual(after.actual);
    expect(after.counters).toMatchObject({ available: 0, held: 4 });
  }, 180_000);
});
