import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createFacilityWithPool, createPartner, holdInput, poolState, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client, worldState } from "./helpers";

let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startRouteServer();
  pool = await createFacilityWithPool({ units: 5 });
  partner = await createPartner();
  api = client(server.url, partner.apiKey);
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

/** Asserts a refusal: its status and code, problem+json, and that nothing changed. */
async function expectRefusal(call: () => Promise<{ status: number; json: Record<string, unknown>; headers: Headers }>, status: number, code: string) {
  const before = await worldState(pool.poolId);
  const response = await call();
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.json).toMatchObject({ status, code, correlation_id: expect.any(String), retryable: expect.any(Boolean) });
  expect(String(response.json.detail)).not.toMatch(/at .*\.ts:\d+|Prisma|stack/i);
  const after = await worldState(pool.poolId);
  expect(after).toEqual(before);
  return response;
}

describe("partner API v1 over HTTP", () => {
  it("holds, reads, confirms, fulfils and cancels a booking with every documented field", async () => {
    const created = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/v1/bookings/${created.json.reference}`);
    expect(created.headers.get("x-correlation-id")).toBeTruthy();
    expect(Object.keys(created.json).sort()).toEqual(
      [
        "reference",
        "status",
        "facility_code",
        "unit_type_code",
        "unit_code",
        "partner_booking_reference",
        "customer",
        "move_in_date",
        "hold_expires_at",
        "inventory_version",
        "idempotency_key",
        "last_event_at",
        "created_at",
        "allowed_actions",
      ].sort(),
    );
    expect(created.json.status).toBe("tentative");
    const ref = created.json.reference as string;
    expect((await api("GET", `/api/v1/bookings/${ref}`)).json.status).toBe("tentative");
    expect((await api("POST", `/api/v1/bookings/${ref}/confirm`)).json.status).toBe("confirmed");
    expect((await api("POST", `/api/v1/bookings/${ref}/confirm`)).status).toBe(200); // repeat = no-op
    expect((await api("POST", `/api/v1/bookings/${ref}/fulfil`)).json.status).toBe("fulfilled");
    const cancelled = await api("POST", `/api/v1/bookings/${ref}/cancel`, { body: { reason: "Customer moved out" } });
    expect(cancelled.json).toMatchObject({ status: "cancelled", cancel_reason: "Customer moved out" });
    const state = await poolState(pool.poolId);
    expect(state.counters).toEqual(state.actual);
  });

  it("carries the caller's X-Correlation-Id onto the response, events and audit", async () => {
    const created = await api("POST", "/api/v1/bookings", { body: holdInput(pool), headers: { "x-correlation-id": "trace-abc-123" } });
    expect(created.headers.get("x-correlation-id")).toBe("trace-abc-123");
    const db = getDb();
    expect(await db.event.count({ where: { correlationId: "trace-abc-123" } })).toBe(2);
    expect(await db.auditEntry.count({ where: { correlationId: "trace-abc-123" } })).toBe(1);
    await api("POST", `/api/v1/bookings/${created.json.reference}/cancel`, { body: { reason: "test" } });
  });

  it("lists facilities, availability and the event feed for the key", async () => {
    const facilities = await api("GET", "/api/v1/facilities");
    expect(facilities.status).toBe(200);
    expect(facilities.json.data).toEqual(expect.arrayContaining([expect.objectContaining({ facility_code: pool.facilityCode })]));
    const availability = await api("GET", `/api/v1/availability?facility_code=${pool.facilityCode}`);
    expect(availability.json.data).toEqual([
      expect.objectContaining({ facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, total: 5 }),
    ]);
    const page1 = await api("GET", "/api/v1/events?limit=3");
    expect((page1.json.data as unknown[]).length).toBe(3);
    const page2 = await api("GET", `/api/v1/events?limit=3&after=${page1.json.next_cursor}`);
    const ids1 = (page1.json.data as { id: string }[]).map((e) => e.id);
    const ids2 = (page2.json.data as { id: string }[]).map((e) => e.id);
    expect(ids2.filter((id) => ids1.includes(id))).toEqual([]);
    expect(page2.json.data).toEqual(expect.arrayContaining([expect.objectContaining({ schema_version: 1, aggregate_version: expect.any(Number) })]));
  });

  it("stores availability snapshots", async () => {
    const response = await api("POST", "/api/v1/availability-snapshots", {
      body: { facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, available: 3, inventory_version: 1 },
    });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ available: 3, current: { available: expect.any(Number) } });
  });
});

describe("refusals: the documented code, never a 5xx, and nothing changes", () => {
  it("401 without a key or with a wrong one", async () => {
    await expectRefusal(() => client(server.url)("GET", "/api/v1/facilities"), 401, "UNAUTHENTICATED");
    await expectRefusal(() => client(server.url, "hf_wrong_key_123")("POST", "/api/v1/bookings", { body: holdInput(pool) }), 401, "UNAUTHENTICATED");
  });

  it("403 for a missing scope; 404 for a facility outside the key's limit", async () => {
    const readOnly = await createPartner({ scopes: ["inventory:read", "bookings:read"] });
    await expectRefusal(() => client(server.url, readOnly.apiKey)("POST", "/api/v1/bookings", { body: holdInput(pool) }), 403, "FORBIDDEN");
    const elsewhere = await createFacilityWithPool({ units: 1 });
    const limited = await createPartner({ facilityIds: [elsewhere.facilityId] });
    await expectRefusal(() => client(server.url, limited.apiKey)("POST", "/api/v1/bookings", { body: holdInput(pool) }), 404, "NOT_FOUND");
    await expectRefusal(
      () => client(server.url, limited.apiKey)("GET", `/api/v1/availability?facility_code=${pool.facilityCode}`),
      404,
      "NOT_FOUND",
    );
  });

  it("422 for malformed JSON, wrong types and unknown fields; 400 without Idempotency-Key; 413 for an oversized body", async () => {
    await expectRefusal(() => api("POST", "/api/v1/bookings", { raw: "{not json" }), 422, "VALIDATION_FAILED");
    const wrongTypes = await expectRefusal(
      () => api("POST", "/api/v1/bookings", { body: { ...holdInput(pool), hold_ttl_seconds: "soon", customer: { name: 3 } } }),
      422,
      "VALIDATION_FAILED",
    );
    expect((wrongTypes.json.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(["hold_ttl_seconds", "customer.name"]),
    );
    const unknown = await expectRefusal(
      () => api("POST", "/api/v1/bookings", { body: { ...holdInput(pool), price: 1 } }),
      422,
      "VALIDATION_FAILED",
    );
    expect(JSON.stringify(unknown.json.errors)).toContain("price");
    await expectRefusal(() => api("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: null }), 400, "IDEMPOTENCY_KEY_REQUIRED");
    await expectRefusal(
      () => api("POST", "/api/v1/bookings", { raw: JSON.stringify({ ...holdInput(pool), pad: "x".repeat(40_000) }) }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
    await expectRefusal(() => api("GET", "/api/v1/events?limit=0"), 422, "VALIDATION_FAILED");
    await expectRefusal(() => api("GET", "/api/v1/events?after=nope"), 422, "VALIDATION_FAILED");
  });

  it("409 INVALID_TRANSITION and HOLD_EXPIRED name the state; 412 for a stale If-Match", async () => {
    const created = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    const ref = created.json.reference as string;
    const invalid = await expectRefusal(() => api("POST", `/api/v1/bookings/${ref}/fulfil`), 409, "INVALID_TRANSITION");
    expect(invalid.json).toMatchObject({ current_status: "tentative", allowed_actions: ["confirm", "cancel"] });
    // Let the hold lapse (the clock is the database's; move the expiry instead).
    await getDb().booking.update({ where: { reference: ref }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await expectRefusal(() => api("POST", `/api/v1/bookings/${ref}/confirm`), 409, "HOLD_EXPIRED");
    expect(expired.json.current_status).toBe("expired");
    const version = (await poolState(pool.poolId)).pool.inventoryVersion;
    const stale = await expectRefusal(
      () => api("POST", "/api/v1/bookings", { body: holdInput(pool), headers: { "if-match": `"${version - 1}"` } }),
      412,
      "VERSION_CONFLICT",
    );
    expect(stale.json.current_inventory_version).toBe(version);
    const fresh = await api("POST", "/api/v1/bookings", { body: holdInput(pool), headers: { "if-match": `"${version}"` } });
    expect(fresh.status).toBe(201);
    await api("POST", `/api/v1/bookings/${fresh.json.reference}/cancel`, { body: { reason: "test" } });
  });

  it("429 with Retry-After and RateLimit headers past the key's limit", async () => {
    const limited = await createPartner();
    await getDb().apiKey.update({ where: { id: limited.apiKeyId }, data: { readRateLimitPerMinute: 3 } });
    const call = client(server.url, limited.apiKey);
    for (let i = 0; i < 3; i++) {
      const ok = await call("GET", "/api/v1/facilities");
      expect(ok.status).toBe(200);
      expect(ok.headers.get("ratelimit-limit")).toBe("3");
      expect(ok.headers.get("ratelimit-remaining")).toBe(String(2 - i));
    }
    const refused = await expectRefusal(() => call("GET", "/api/v1/facilities"), 429, "RATE_LIMITED");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.json.retryable).toBe(true);
    // writes are a separate class
    expect((await call("POST", "/api/v1/availability-snapshots", {
      body: { facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, available: 1, inventory_version: 1 },
    })).status).toBe(201);
  });

  it("INVENTORY_UNAVAILABLE when the pool is full", async () => {
    const small = await createFacilityWithPool({ units: 1 });
    expect((await api("POST", "/api/v1/bookings", { body: holdInput(small) })).status).toBe(201);
    const before = await worldState(small.poolId);
    const refused = await api("POST", "/api/v1/bookings", { body: holdInput(small) });
    expect(refused.status).toBe(409);
    expect(refused.json.code).toBe("INVENTORY_UNAVAILABLE");
    expect(await worldState(small.poolId)).toMatchObject({ pool: before.pool, bookings: before.bookings, units: before.units });
  });

  it("404 for an unknown booking reference", async () => {
    await expectRefusal(() => api("GET", "/api/v1/bookings/BK-NOPE00"), 404, "NOT_FOUND");
  });
});
