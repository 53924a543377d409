import crypto from "node:crypto";
import http from "node:http";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../server/domain/users/load-session-user";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { callerFor, sessionUser } from "../trpc-caller";
import { client, worldState, type Call } from "./helpers";

/**
 * The ten causes of the 500s in issue #10, one test each: every one answers a 4xx with a
 * documented code over real HTTP (or a tRPC BAD_REQUEST), and changes nothing.
 */

let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;
let admin: SessionUser;

beforeAll(async () => {
  server = await startRouteServer();
  pool = await createFacilityWithPool({ units: 3 });
  partner = await createPartner();
  api = client(server.url, partner.apiKey);
  admin = await sessionUser({ role: "ADMIN" });
});
afterAll(async () => {
  await server?.close();
  await closeRateLimitPool();
  await disconnectDb();
});

/** What a refused partner call must leave as it was: the pool's world, and the partner's own rows. */
async function state() {
  const db = getDb();
  const [world, endpoints, snapshots, keys] = await Promise.all([
    worldState(pool.poolId),
    db.webhookEndpoint.count({ where: { partnerId: partner.actor.id } }),
    db.availabilitySnapshot.count({ where: { partnerId: partner.actor.id } }),
    db.idempotencyRecord.count({ where: { partnerId: partner.actor.id } }),
  ]);
  return { world, endpoints, snapshots, keys };
}

async function expectProblem(call: () => Promise<Call>, status: number, code: string): Promise<Call> {
  const before = await state();
  const response = await call();
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  expect(response.json).toMatchObject({ status, code, correlation_id: expect.any(String) });
  expect(await state()).toEqual(before);
  return response;
}

/** A raw HTTP request (fetch refuses TRACE and normalises paths). */
function rawRequest(method: string, path: string, headers: Record<string, string> = {}): Promise<Call> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(response.headers)) if (typeof v === "string") h.set(k, v);
        resolve({ status: response.statusCode ?? 0, headers: h, text, json });
      });
    });
    request.on("error", reject);
    request.end();
  });
}

describe("1. NUL in JSON bodies, paths and queries", () => {
  it("refuses NUL in a booking, answering the same refusal on a retry with the same key", async () => {
    const key = crypto.randomUUID();
    const body = holdInput(pool, { customer: { name: "Ada\u0000Lovelace", email: "ada@example.com" } });
    const first = await expectProblem(() => api("POST", "/api/v1/bookings", { body, idempotencyKey: key }), 422, "VALIDATION_FAILED");
    expect(first.json.retryable).toBe(false);
    expect(first.json.errors).toEqual([expect.objectContaining({ path: "body.customer.name" })]);
    await expectProblem(() => api("POST", "/api/v1/bookings", { body, idempotencyKey: key }), 422, "VALIDATION_FAILED");
  });

  it("refuses NUL in an endpoint description and in a snapshot", async () => {
    await expectProblem(
      () => api("POST", "/api/v1/webhook-endpoints", { body: { url: "https://example.com/hook", description: "a\u0000b" } }),
      422,
      "VALIDATION_FAILED",
    );
    await expectProblem(
      () =>
        api("POST", "/api/v1/availability-snapshots", {
          body: { facility_code: `${pool.facilityCode}\u0000`, unit_type_code: pool.unitTypeCode, available: 1, inventory_version: 1 },
        }),
      422,
      "VALIDATION_FAILED",
    );
  });

  it("refuses %00 in a path and in a query with 400 MALFORMED_REQUEST", async () => {
    await expectProblem(() => api("GET", "/api/v1/bookings/BK-%00"), 400, "MALFORMED_REQUEST");
    await expectProblem(() => api("GET", "/api/v1/availability?facility_code=%00"), 400, "MALFORMED_REQUEST");
  });

  it("refuses NUL in tRPC search, unit and blocks inputs as BAD_REQUEST", async () => {
    const caller = callerFor(admin);
    await expect(caller.bookings.search({ filter: { q: "a\u0000" } } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.inventory.unit({ facilityCode: pool.facilityCode, unitCode: "U\u0000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.inventory.blocks({ facility_code: pool.facilityCode, unit_code: "\u0000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("2. bad percent-encoding in dynamic paths", () => {
  it.each(["%ZZ", "%C0%AF", "BK-%E0%A4%A"])("answers %s with 400 MALFORMED_REQUEST", async (segment) => {
    await expectProblem(() => rawRequest("GET", `/api/v1/bookings/${segment}`, { authorization: `Bearer ${partner.apiKey}` }), 400, "MALFORMED_REQUEST");
    await expectProblem(() => rawRequest("POST", `/api/v1/webhook-endpoints/${segment}/rotate-secret`), 400, "MALFORMED_REQUEST");
  });
});

describe("3. TRACE", () => {
  it.each(["/api/v1/bookings", "/api/health", "/api/trpc/bookings.search", "/bookings/BK-1", "/"])("TRACE %s is a 405 with Allow", async (path) => {
    const response = await expectProblem(() => rawRequest("TRACE", path), 405, "METHOD_NOT_ALLOWED");
    expect(response.headers.get("allow")).toMatch(/GET|POST/);
    expect(response.headers.get("allow")).not.toMatch(/TRACE/);
  });
});

describe("4. integer overflow", () => {
  it("refuses inventory_version 2147483648 in a snapshot, and in If-Match", async () => {
    const response = await expectProblem(
      () =>
        api("POST", "/api/v1/availability-snapshots", {
          body: { facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, available: 1, inventory_version: 2_147_483_648 },
        }),
      422,
      "VALIDATION_FAILED",
    );
    expect(response.json.errors).toEqual([expect.objectContaining({ path: "inventory_version" })]);
    await expectProblem(() => api("POST", "/api/v1/bookings", { body: holdInput(pool), headers: { "if-match": '"9999999999"' } }), 422, "VALIDATION_FAILED");
  });
});

describe("5. payment webhooks that jsonb or the stack cannot take", () => {
  async function deliver(raw: string) {
    const webhookId = `msg_${crypto.randomUUID()}`;
    const at = new Date();
    const response = await fetch(`${server.url}/api/webhooks/payments`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": webhookId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(process.env.PAYMENT_WEBHOOK_SECRET!).sign(webhookId, at, raw),
      },
      body: raw,
    });
    const json = (await response.json()) as Record<string, unknown>;
    const stored = await getDb().inboundWebhookEvent.findUnique({ where: { id: webhookId } });
    return { status: response.status, json, stored };
  }
  const event = (reference: string) =>
    `{"id":"pay_evt_${crypto.randomUUID()}","type":"payment.authorized","created_at":"${new Date().toISOString()}","data":{"booking_reference":"${reference}","amount_cents":100,"currency":"GBP"}}`;

  it("answers a validly signed event with a lone surrogate 422, stored FAILED, applied never", async () => {
    const result = await deliver(event("BK-\\ud800"));
    expect(result.status).toBe(422);
    expect(result.json).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(result.stored).toMatchObject({ status: "FAILED", payload: null });
  });

  it("answers a body nested 5,000 levels deep 422, without overflowing the stack", async () => {
    const raw = `{"id":"x","type":"payment.authorized","data":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const result = await deliver(raw);
    expect(result.status).toBe(422);
    expect(result.json).toMatchObject({ code: "VALIDATION_FAILED", detail: expect.stringMatching(/nested too deeply/) });
    expect(result.stored).toMatchObject({ status: "FAILED" });
  });
});

describe("6. a tRPC audit cursor above 2^63-1", () => {
  it("is a BAD_REQUEST, not a bigint overflow in PostgreSQL", async () => {
    const cursor = Buffer.from("2026-01-01T00:00:00.000Z|9223372036854775808").toString("base64url");
    await expect(callerFor(admin).audit.list({ cursor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const fine = Buffer.from("2026-01-01T00:00:00.000Z|9223372036854775807").toString("base64url");
    await expect(callerFor(admin).audit.list({ cursor: fine })).resolves.toBeTruthy();
  });
});

describe("7. tRPC dates outside PostgreSQL's range", () => {
  it("refuses them in the replay-window preview and the delivery log", async () => {
    const caller = callerFor(admin);
    const endpointId = `ep_${"0".repeat(26)}`;
    await expect(caller.webhooks.replayWindowPreview({ endpointId, from: "+275760-09-13T00:00:00Z", to: "+275760-09-14T00:00:00Z" } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(caller.webhooks.replayWindowPreview({ endpointId, from: new Date(-1e15), to: new Date() })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.webhooks.deliveries({ filter: { from: "99999-01-01" } } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.audit.list({ filter: { to: new Date(8.64e15) } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("8. next-auth", () => {
  it("answers GET /api/auth/callback/credentials with a problem+json 405, not next-auth's raw error", async () => {
    const response = await expectProblem(() => rawRequest("GET", "/api/auth/callback/credentials"), 405, "METHOD_NOT_ALLOWED");
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("9. unknown paths and wrong methods on the API", () => {
  it("answers an unknown /api/v1 path with a problem+json 404", async () => {
    await expectProblem(() => api("GET", "/api/v1/nope"), 404, "NOT_FOUND");
    await expectProblem(() => api("POST", "/api/v1/bookings/BK-1/teleport"), 404, "NOT_FOUND");
    await expectProblem(() => api("GET", "/api/nothing-here"), 404, "NOT_FOUND");
  });
  it("answers a wrong method with a problem+json 405 and Allow", async () => {
    const put = await expectProblem(() => api("PUT", "/api/v1/bookings"), 405, "METHOD_NOT_ALLOWED");
    expect(put.headers.get("allow")).toBe("POST, OPTIONS");
    const del = await expectProblem(() => api("DELETE", "/api/v1/bookings/BK-1"), 405, "METHOD_NOT_ALLOWED");
    expect(del.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });
});

describe("10. booking references in any case", () => {
  it("finds a booking on the partner API by its lower-case reference, as the console does", async () => {
    const created = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    expect(created.status).toBe(201);
    const reference = String(created.json.reference);
    const read = await api("GET", `/api/v1/bookings/${encodeURIComponent(` ${reference.toLowerCase()}`)}`);
    expect(read.status).toBe(200);
    expect(read.json.reference).toBe(reference);
    const confirmed = await api("POST", `/api/v1/bookings/${reference.toLowerCase()}/confirm`, { body: {} });
    expect(confirmed.status).toBe(200);
    await expect(callerFor(admin).bookings.get({ reference: reference.toLowerCase() })).resolves.toMatchObject({ reference });
  });
});
