import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { decryptSecret } from "../../server/domain/shared/secrets";
import { createPartner, type TestPartner } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

let server: RouteServer;
let partner: TestPartner;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startRouteServer();
  partner = await createPartner();
  api = client(server.url, partner.apiKey);
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

const RECEIVER = "http://127.0.0.1:9/hooks/holdfast";

/** What a refusal must leave untouched: the partner's endpoints, their secrets and the audit trail. */
async function endpointState(partnerId: string) {
  const db = getDb();
  const endpoints = await db.webhookEndpoint.findMany({ where: { partnerId }, orderBy: { id: "asc" } });
  // SUCCESS only: a refused call is audited (DENIED / FAILED) but changes nothing.
  const audits = await db.auditEntry.count({
    where: { targetType: "webhook_endpoint", targetId: { in: endpoints.map((e) => e.id) }, result: "SUCCESS" },
  });
  return { endpoints, audits };
}

describe("partner API: webhook endpoints", () => {
  it("creates an endpoint and shows its secret once, stored only encrypted", async () => {
    const created = await api("POST", "/api/v1/webhook-endpoints", {
      body: { url: RECEIVER, event_types: ["booking.confirmed", "inventory.updated"], description: "Our booking sync" },
      idempotencyKey: "ep-create-1",
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      url: RECEIVER,
      description: "Our booking sync",
      event_types: ["booking.confirmed", "inventory.updated"],
      status: "active",
      disabled_reason: null,
      secret_version: 1,
      previous_secret_expires_at: null,
    });
    const id = created.json.id as string;
    const secret = created.json.secret as string;
    expect(id).toMatch(/^ep_[0-9a-z]{26}$/);
    expect(secret).toMatch(/^whsec_/);
    expect(created.headers.get("location")).toBe(`/api/v1/webhook-endpoints/${id}`);

    const row = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row.secretCiphertext).not.toContain(secret.slice(6));
    expect(decryptSecret(row.secretCiphertext)).toBe(secret);
    // the idempotency record keeps the response for replays — sealed, not in clear
    const record = await getDb().idempotencyRecord.findFirstOrThrow({ where: { partnerId: partner.id, key: "ep-create-1" } });
    expect(record.responseBody).not.toContain(secret.slice(6));
    const replay = await api("POST", "/api/v1/webhook-endpoints", {
      body: { url: RECEIVER, event_types: ["booking.confirmed", "inventory.updated"], description: "Our booking sync" },
      idempotencyKey: "ep-create-1",
    });
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.text).toBe(created.text);

    const listed = await api("GET", "/api/v1/webhook-endpoints");
    expect(listed.status).toBe(200);
    expect(listed.json.next_cursor).toBeNull();
    const data = listed.json.data as Record<string, unknown>[];
    expect(data.map((e) => e.id)).toEqual([id]);
    expect(listed.text).not.toContain("whsec_");
    expect(data[0]).not.toHaveProperty("secret");

    const audit = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: id, action: "webhook_endpoint.create" } });
    expect(audit).toMatchObject({ actorType: "PARTNER", actorId: partner.id, scope: expect.stringContaining("webhooks:manage") });
    expect(JSON.stringify({ ...audit, id: String(audit.id) })).not.toContain(secret.slice(6));
  });

  it("rotates the secret (returned once; the previous one still signs for 24 h) and deletes", async () => {
    const created = await api("POST", "/api/v1/webhook-endpoints", { body: { url: RECEIVER } });
    expect(created.status).toBe(201);
    expect(created.json.event_types).toEqual([]);
    const id = created.json.id as string;
    const rotated = await api("POST", `/api/v1/webhook-endpoints/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.json).toMatchObject({ id, secret_version: 2 });
    expect(rotated.json.secret).toMatch(/^whsec_/);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    const until = Date.parse(rotated.json.previous_secret_expires_at as string) - Date.now();
    expect(until).toBeGreaterThan(23.9 * 3_600_000);
    expect(until).toBeLessThanOrEqual(24 * 3_600_000);
    const row = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(decryptSecret(row.secretCiphertext)).toBe(rotated.json.secret);
    expect(decryptSecret(row.previousSecretCiphertext!)).toBe(created.json.secret);

    const health = await api("GET", `/api/v1/webhook-endpoints/${id}`);
    expect(health.status).toBe(200);
    expect(health.json.health).toMatchObject({ attempts: 0, success_rate: null, pending_deliveries: 0, oldest_undelivered: null, pool_acks: [] });

    const deleted = await api("DELETE", `/api/v1/webhook-endpoints/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await api("DELETE", `/api/v1/webhook-endpoints/${id}`)).status).toBe(404);
    expect((await api("POST", `/api/v1/webhook-endpoints/${id}/rotate-secret`)).status).toBe(404);
    const listed = await api("GET", "/api/v1/webhook-endpoints");
    expect((listed.json.data as { id: string }[]).map((e) => e.id)).not.toContain(id);
    const audits = await getDb().auditEntry.findMany({ where: { targetId: id }, orderBy: { id: "asc" }, select: { action: true, result: true } });
    expect(audits.map((a) => [a.action, a.result])).toEqual([
      ["webhook_endpoint.create", "SUCCESS"],
      ["webhook_endpoint.rotate_secret", "SUCCESS"],
      ["webhook_endpoint.delete", "SUCCESS"],
      // the calls on the deleted endpoint: refused, audited as failed (it no longer exists)
      ["webhook_endpoint.delete", "FAILED"],
      ["webhook_endpoint.rotate_secret", "FAILED"],
    ]);
  });

  it("refuses a key without webhooks:manage (403) and another partner's endpoint (404), changing nothing", async () => {
    const other = await createPartner();
    const created = await client(server.url, other.apiKey)("POST", "/api/v1/webhook-endpoints", { body: { url: RECEIVER } });
    const theirs = created.json.id as string;
    const before = await endpointState(other.id);

    const readOnly = await createPartner({ scopes: ["inventory:read", "bookings:read", "bookings:write"] });
    const limited = client(server.url, readOnly.apiKey);
    for (const call of [
      () => limited("GET", "/api/v1/webhook-endpoints"),
      () => limited("POST", "/api/v1/webhook-endpoints", { body: { url: RECEIVER } }),
      () => limited("DELETE", `/api/v1/webhook-endpoints/${theirs}`),
      () => limited("POST", `/api/v1/webhook-endpoints/${theirs}/rotate-secret`),
    ]) {
      const response = await call();
      expect(response.status).toBe(403);
      expect(response.json).toMatchObject({ code: "FORBIDDEN", required_scope: "webhooks:manage" });
    }
    for (const call of [
      () => api("GET", `/api/v1/webhook-endpoints/${theirs}`),
      () => api("DELETE", `/api/v1/webhook-endpoints/${theirs}`),
      () => api("POST", `/api/v1/webhook-endpoints/${theirs}/rotate-secret`),
    ]) {
      const response = await call();
      expect(response.status).toBe(404);
      expect(response.json.code).toBe("NOT_FOUND");
    }
    expect((await api("GET", "/api/v1/webhook-endpoints")).text).not.toContain(theirs);
    expect(await endpointState(other.id)).toEqual(before);
  });

  it("changes an endpoint's URL, description and event types (PATCH), idempotently, audited once", async () => {
    const created = await api("POST", "/api/v1/webhook-endpoints", { body: { url: RECEIVER, description: "Before" } });
    const id = created.json.id as string;
    const change = { url: "http://127.0.0.1:9/hooks/v2", description: "After", event_types: ["inventory.updated", "booking.confirmed"] };

    const patched = await api("PATCH", `/api/v1/webhook-endpoints/${id}`, { body: change, idempotencyKey: "ep-patch-1" });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id, ...change, event_types: ["booking.confirmed", "inventory.updated"], secret_version: 1 });
    expect(patched.json).not.toHaveProperty("secret");
    expect(await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id } })).toMatchObject({
      url: change.url,
      description: "After",
      eventTypes: ["booking.confirmed", "inventory.updated"],
    });

    // the same key and body replays the stored answer; the change is made and audited once
    const replay = await api("PATCH", `/api/v1/webhook-endpoints/${id}`, { body: change, idempotencyKey: "ep-patch-1" });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.text).toBe(patched.text);
    const reused = await api("PATCH", `/api/v1/webhook-endpoints/${id}`, { body: { description: "Other" }, idempotencyKey: "ep-patch-1" });
    expect(reused.status).toBe(422);
    expect(reused.json.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const keyless = await api("PATCH", `/api/v1/webhook-endpoints/${id}`, { body: { description: "Other" }, idempotencyKey: null });
    expect(keyless.status).toBe(400);
    expect(keyless.json.code).toBe("IDEMPOTENCY_KEY_REQUIRED");

    const audits = await getDb().auditEntry.findMany({ where: { targetId: id, action: "webhook_endpoint.update" } });
    expect(audits.map((a) => [a.result, a.actorId, a.metadata])).toEqual([
      [
        "SUCCESS",
        partner.id,
        expect.objectContaining({
          changes: {
            url: { from: RECEIVER, to: change.url },
            description: true,
            event_types: { from: [], to: ["booking.confirmed", "inventory.updated"] },
          },
        }),
      ],
    ]);
  });

  it("refuses a PATCH with bad input (422), to another partner's endpoint (404) or without webhooks:manage (403), changing nothing", async () => {
    const created = await api("POST", "/api/v1/webhook-endpoints", { body: { url: RECEIVER, description: "Mine" } });
    const mine = created.json.id as string;
    const other = await createPartner();
    const theirs = (await client(server.url, other.apiKey)("POST", "/api/v1/webhook-endpoints", { body: { url: RECEIVER } })).json.id as string;
    const before = [await endpointState(partner.id), await endpointState(other.id)];

    const cases: [unknown, string][] = [
      [{ url: "ftp://example.com/x" }, "url"],
      [{ url: "https://user:pw@example.com/x" }, "url"],
      [{ event_types: ["booking.exploded"] }, "event_types.0"],
      [{ description: "x".repeat(501) }, "description"],
      // staff only: not part of the partner API's body
      [{ max_concurrency: 8 }, "body"],
      [{ secret: "whsec_mine" }, "body"],
      [{}, "body"],
    ];
    for (const [body, path] of cases) {
      const response = await api("PATCH", `/api/v1/webhook-endpoints/${mine}`, { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.json.code).toBe("VALIDATION_FAILED");
      expect((response.json.errors as { path: string }[]).map((e) => e.path)).toContain(path);
    }

    const notFound = await api("PATCH", `/api/v1/webhook-endpoints/${theirs}`, { body: { description: "Taken over" } });
    expect(notFound.status).toBe(404);
    expect(notFound.json.code).toBe("NOT_FOUND");

    const readOnly = await createPartner({ scopes: ["inventory:read", "bookings:read", "bookings:write"] });
    const forbidden = await client(server.url, readOnly.apiKey)("PATCH", `/api/v1/webhook-endpoints/${mine}`, { body: { description: "No" } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toMatchObject({ code: "FORBIDDEN", required_scope: "webhooks:manage" });

    expect([await endpointState(partner.id), await endpointState(other.id)]).toEqual(before);
  });

  it("validates the request: URL, event types, unknown fields", async () => {
    const before = await endpointState(partner.id);
    const cases: [unknown, string][] = [
      [{ url: "ftp://example.com/x" }, "url"],
      [{ url: "https://user:pw@example.com/x" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: RECEIVER, event_types: ["booking.exploded"] }, "event_types.0"],
      [{ url: RECEIVER, secret: "whsec_mine" }, "body"],
      [{}, "url"],
    ];
    for (const [body, path] of cases) {
      const response = await api("POST", "/api/v1/webhook-endpoints", { body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.json.code).toBe("VALIDATION_FAILED");
      expect((response.json.errors as { path: string }[]).map((e) => e.path)).toContain(path);
    }
    expect(await endpointState(partner.id)).toEqual(before);
  });
});
