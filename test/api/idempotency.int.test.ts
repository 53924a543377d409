import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  process.env.DATABASE_POOL_MAX = "60";
  server = await startRouteServer();
  pool = await createFacilityWithPool({ units: 10 });
  partner = await createPartner();
  api = client(server.url, partner.apiKey);
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

describe("Idempotency-Key (Stripe's semantics)", () => {
  it("50 parallel identical POSTs with one key make one booking; every answer is the stored one or IN_USE", async () => {
    const body = holdInput(pool);
    const key = `idem-${Date.now()}`;
    const responses = await Promise.all(Array.from({ length: 50 }, () => api("POST", "/api/v1/bookings", { body, idempotencyKey: key })));
    const created = responses.filter((r) => r.status === 201);
    const inUse = responses.filter((r) => r.status === 409);
    expect(created.length + inUse.length).toBe(50);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.text)).size).toBe(1);
    for (const r of inUse) {
      expect(r.json).toMatchObject({ code: "IDEMPOTENCY_KEY_IN_USE", retryable: true });
      // a retryable refusal says when to retry
      expect(r.headers.get("retry-after")).toBe("1");
    }
    expect(await getDb().booking.count({ where: { partnerId: partner.id, idempotencyKey: key } })).toBe(1);

    // after it finished: the stored response, byte for byte, marked as a replay
    const replay = await api("POST", "/api/v1/bookings", { body, idempotencyKey: key });
    expect(replay.status).toBe(201);
    expect(replay.text).toBe(created[0]!.text);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    // the same JSON spaced differently is the same request
    const respaced = await api("POST", "/api/v1/bookings", { raw: JSON.stringify(body, null, 2), idempotencyKey: key });
    expect(respaced.text).toBe(created[0]!.text);
    expect(await getDb().booking.count({ where: { partnerId: partner.id, idempotencyKey: key } })).toBe(1);
  });

  it("the same key with another body is IDEMPOTENCY_KEY_REUSED and changes nothing", async () => {
    const key = `idem-reuse-${Date.now()}`;
    expect((await api("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: key })).status).toBe(201);
    const bookings = await getDb().booking.count({ where: { partnerId: partner.id } });
    const reused = await api("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: key });
    expect(reused.status).toBe(422);
    expect(reused.json.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await getDb().booking.count({ where: { partnerId: partner.id } })).toBe(bookings);
  });

  it("a refusal is stored and replayed; a validation failure is not stored", async () => {
    const full = await createFacilityWithPool({ units: 1 });
    await api("POST", "/api/v1/bookings", { body: holdInput(full) });
    const key = `idem-refusal-${Date.now()}`;
    const body = holdInput(full);
    const first = await api("POST", "/api/v1/bookings", { body, idempotencyKey: key });
    expect(first.json.code).toBe("INVENTORY_UNAVAILABLE");
    const again = await api("POST", "/api/v1/bookings", { body, idempotencyKey: key });
    expect(again.text).toBe(first.text);
    expect(again.headers.get("idempotent-replayed")).toBe("true");

    const badKey = `idem-invalid-${Date.now()}`;
    expect((await api("POST", "/api/v1/bookings", { body: { nope: 1 }, idempotencyKey: badKey })).status).toBe(422);
    expect(await getDb().idempotencyRecord.count({ where: { key: badKey } })).toBe(0);
  });

  it("keys are per partner", async () => {
    const other = await createPartner();
    const key = `idem-shared-${Date.now()}`;
    expect((await api("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: key })).status).toBe(201);
    expect((await client(server.url, other.apiKey)("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: key })).status).toBe(201);
  });
});
