import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPartner, type TestPartner } from "../../test/factories";
import { startRouteServer, type RouteServer } from "../../test/route-server";
import { disconnectDb, getDb } from "../db";
import { encryptSecret } from "../domain/shared/secrets";
import { receiveDemoDelivery } from "./demo-receiver";

let server: RouteServer;
let partner: TestPartner;

beforeAll(async () => {
  server = await startRouteServer();
  partner = await createPartner();
});
afterAll(async () => {
  await server.close();
  await disconnectDb();
});

function newSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString("base64")}`;
}

/** A webhook endpoint of the test partner pointing at the receiver, as the seed would register it. */
async function endpoint(query = "", options: { previousSecret?: string; previousExpiresAt?: Date } = {}) {
  const secret = newSecret();
  const path = `/api/demo-receiver/${partner.code}${query ? `?${query}` : ""}`;
  const row = await getDb().webhookEndpoint.create({
    data: {
      id: `ep_${crypto.randomUUID().replace(/-/g, "")}`,
      partnerId: partner.id,
      // The dispatcher may know the app by another name than the test server: only path and query count.
      url: `http://localhost:3000${path}`,
      secretCiphertext: encryptSecret(secret),
      previousSecretCiphertext: options.previousSecret ? encryptSecret(options.previousSecret) : null,
      previousSecretExpiresAt: options.previousExpiresAt ?? null,
    },
  });
  return { id: row.id, secret, path };
}

function signedRequest(path: string, secret: string, options: { webhookId?: string; body?: string; at?: Date } = {}) {
  const webhookId = options.webhookId ?? `msg_${crypto.randomUUID()}`;
  const body = options.body ?? JSON.stringify({ id: `evt_${crypto.randomUUID()}`, type: "booking.confirmed", data: {} });
  const at = options.at ?? new Date();
  return {
    webhookId,
    init: {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": webhookId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(webhookId, at, body),
      },
      body,
    },
  };
}

async function send(path: string, secret: string, options: Parameters<typeof signedRequest>[2] = {}) {
  const { webhookId, init } = signedRequest(path, secret, options);
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, init);
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, headers: response.headers, json, webhookId, ms: performance.now() - started };
}

async function hit(endpointId: string, webhookId: string) {
  return getDb().demoReceiverHit.findUnique({ where: { endpointId_webhookId: { endpointId, webhookId } } });
}

describe("the demo partner receiver", () => {
  it("answers 200 to a delivery signed with the endpoint's secret and records it", async () => {
    const ep = await endpoint();
    const response = await send(ep.path, ep.secret);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ received: true, webhook_id: response.webhookId, deliveries: 1 });
    expect(await hit(ep.id, response.webhookId)).toMatchObject({
      partnerCode: partner.code,
      eventType: "booking.confirmed",
      hits: 1,
      lastStatus: 200,
    });
    const listed = await fetch(`${server.url}/api/demo-receiver/${partner.code}`).then((r) => r.json());
    expect(listed.data[0]).toMatchObject({ webhook_id: response.webhookId, endpoint_id: ep.id, deliveries: 1, last_status: 200 });
  });

  it("answers 401 to a bad signature, a stale timestamp or missing headers, and records nothing", async () => {
    const ep = await endpoint("latency_ms=0");
    const wrong = await send(ep.path, newSecret());
    expect(wrong.status).toBe(401);
    expect(wrong.json.detail).toMatch(/No webhook-signature matches/);
    const stale = await send(ep.path, ep.secret, { at: new Date(Date.now() - 10 * 60_000) });
    expect(stale.status).toBe(401);
    expect(stale.json.detail).toMatch(/too old/);
    const bare = await fetch(`${server.url}${ep.path}`, { method: "POST", body: "{}" });
    expect(bare.status).toBe(401);
    expect(await getDb().demoReceiverHit.count({ where: { endpointId: ep.id } })).toBe(0);
  });

  it("accepts the previous secret during its rotation window only", async () => {
    const old = newSecret();
    const rotating = await endpoint("latency_ms=1", {
      previousSecret: old,
      previousExpiresAt: new Date(Date.now() + 3_600_000),
    });
    expect((await send(rotating.path, old)).status).toBe(200);
    const expiredOld = newSecret();
    const rotated = await endpoint("latency_ms=2", { previousSecret: expiredOld, previousExpiresAt: new Date(Date.now() - 1000) });
    expect((await send(rotated.path, expiredOld)).status).toBe(401);
    expect((await send(rotated.path, rotated.secret)).status).toBe(200);
  });

  it("answers 404 when no endpoint of the partner has this URL (query included)", async () => {
    const ep = await endpoint("fail=0");
    const response = await send(`/api/demo-receiver/${partner.code}?fail=0.5`, ep.secret);
    expect(response.status).toBe(404);
    expect((await send(`/api/demo-receiver/NOBODY-${partner.code}`, ep.secret)).status).toBe(404);
  });

  it("fails, answers 410 or throttles with Retry-After as its URL says", async () => {
    const failing = await endpoint("fail=1");
    const failed = await send(failing.path, failing.secret);
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({ error: "simulated_failure", deterministic: false });
    expect((await hit(failing.id, failed.webhookId))?.lastStatus).toBe(500);

    const unavailable = await endpoint("fail=1&fail_status=503");
    expect((await send(unavailable.path, unavailable.secret)).status).toBe(503);

    const gone = await endpoint("gone=1");
    expect((await send(gone.path, gone.secret)).status).toBe(410);

    const throttled = await endpoint("throttle=1&retry_after=7");
    const response = await send(throttled.path, throttled.secret);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
  });

  it("hangs for hang_ms and then answers; latency_ms delays every answer", async () => {
    const hanging = await endpoint("hang=1&hang_ms=600");
    const hung = await send(hanging.path, hanging.secret);
    expect(hung.status).toBe(200);
    expect(hung.headers.get("x-demo-receiver-reaction")).toBe("hang");
    expect(hung.ms).toBeGreaterThanOrEqual(590);

    const slow = await endpoint("latency_ms=250");
    const response = await send(slow.path, slow.secret);
    expect(response.status).toBe(200);
    expect(response.ms).toBeGreaterThanOrEqual(240);
  });

  it("fails the first N deliveries of each webhook-id deterministically (fail_first)", async () => {
    const ep = await endpoint("fail_first=3");
    const webhookId = `msg_${crypto.randomUUID()}`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(ep.path, ep.secret, { webhookId })).status);
    expect(statuses).toEqual([500, 500, 500, 200, 200]);
    expect(await hit(ep.id, webhookId)).toMatchObject({ hits: 5, lastStatus: 200 });
    // Another webhook-id starts its own count.
    expect((await send(ep.path, ep.secret)).status).toBe(500);
  });

  it("counts concurrent deliveries of one webhook-id exactly", async () => {
    const ep = await endpoint("fail_first=2&latency_ms=3");
    const webhookId = `msg_${crypto.randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 6 }, () => send(ep.path, ep.secret, { webhookId })));
    expect(results.map((r) => r.json.deliveries).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.filter((r) => r.status === 500)).toHaveLength(2);
  });

  it("answers 400 to receiver options it does not understand", async () => {
    const ep = await endpoint("fial=1");
    const response = await send(ep.path, ep.secret);
    expect(response.status).toBe(400);
    expect(response.json.detail).toMatch(/fial/);
  });

  it("does not exist outside demo mode", async () => {
    const ep = await endpoint();
    const { init } = signedRequest(ep.path, ep.secret);
    const response = await receiveDemoDelivery(new Request(`http://localhost${ep.path}`, init), partner.code, { enabled: false });
    expect(response.status).toBe(404);
    expect(await getDb().demoReceiverHit.count({ where: { endpointId: ep.id } })).toBe(0);
  });
});
