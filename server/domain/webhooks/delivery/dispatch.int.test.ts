import crypto from "node:crypto";
import pg from "pg";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, useOwnDatabase, type TestPartner } from "../../../../test/factories";
import { startReceiver, type Receiver, type ReceiverAnswer } from "../../../../test/webhook-receiver";
import { getDb } from "../../../db";
import { confirmBooking } from "../../bookings/confirm-booking";
import { createHold } from "../../bookings/create-hold";
import type { Actor } from "@/server/domain/shared/actor";
import { appendEvent, type EventType } from "@/server/domain/shared/events";
import { inTransaction } from "@/server/domain/shared/transaction";
import { attemptClaimed, closeDefaultSender, deliverAttempt } from "./attempt-delivery";
import { claimDueDeliveries } from "./claim-deliveries";
import { createWebhookEndpoint } from "../endpoints/create-webhook-endpoint";
import { closeAsyncCommitPool } from "@/server/domain/shared/async-commit-db";
import { dispatchOnce, WebhookDispatcher } from "./dispatcher";
import { fanOutCommitted, fanOutEvents } from "./fan-out-events";
import { getWebhookEndpoint } from "../endpoints/get-webhook-endpoint";
import { RETRY_SCHEDULE_MS } from "./retry-policy";
import { rotateWebhookSecret } from "../endpoints/rotate-webhook-secret";
import { enableWebhookEndpoint } from "../endpoints/set-webhook-endpoint-status";

/**
 * The dispatcher against real PostgreSQL and real HTTP on loopback, with its own database
 * (the fan-out reads every event in the database: other files' events must not land on
 * these endpoints). The clock is injected, so the retry schedule runs in milliseconds.
 */

let dropDatabase: () => Promise<void>;
const receivers: Receiver[] = [];

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("webhook_dispatch");
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await closeDefaultSender();
  await closeAsyncCommitPool();
  await dropDatabase();
});

async function receiver(answer?: (index: number) => ReceiverAnswer): Promise<Receiver> {
  const r = await startReceiver(answer ? (_req, i) => answer(i) : undefined);
  receivers.push(r);
  return r;
}

async function endpointFor(partner: TestPartner, url: string, eventTypes: EventType[] = []) {
  return createWebhookEndpoint({ url, event_types: eventTypes }, partner.actor);
}

/** A booking event of `partner`, committed on its own. */
async function emit(partner: TestPartner, type: EventType = "booking.confirmed"): Promise<string> {
  return inTransaction({}, (tx) =>
    appendEvent(tx, {
      type,
      aggregateType: "booking",
      aggregateId: crypto.randomUUID(),
      aggregateVersion: 1,
      partnerId: partner.id,
      correlationId: `cor_${crypto.randomBytes(4).toString("hex")}`,
      data: { hello: "world" },
    }),
  );
}

async function deliveryOf(endpointId: string, eventId: string) {
  return getDb().webhookDelivery.findUniqueOrThrow({ where: { endpointId_eventId: { endpointId, eventId } } });
}

async function attemptsOf(deliveryId: string) {
  return getDb().webhookAttempt.findMany({ where: { deliveryId }, orderBy: { attemptNumber: "asc" } });
}

describe("fan-out", () => {
  it("delivers each committed event to each subscribed endpoint, signed, with the partner scoping", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const [a, b] = [await createPartner(), await createPartner()];
    const rx = await receiver();
    const aAll = await endpointFor(a, `${rx.url}?ep=a-all`);
    const aConfirmed = await endpointFor(a, `${rx.url}?ep=a-confirmed`, ["booking.confirmed"]);
    const bAll = await endpointFor(b, `${rx.url}?ep=b-all`);

    const held = await createHold(holdInput(pool), a.actor);
    await confirmBooking(held.reference, a.actor);
    const results = await dispatchOnce();
    expect(results.filter((r) => !r.success)).toEqual([]);

    const got = (secret: string) =>
      rx.requests
        .filter((r) => {
          try {
            new StandardWebhook(secret).verify(r.body, r.headers);
            return true;
          } catch {
            return false;
          }
        })
        .map((r) => JSON.parse(r.body) as { id: string; type: string })
        .map((e) => e.type)
        .sort();
    expect(got(aAll.secret)).toEqual(["booking.confirmed", "booking.held", "inventory.updated", "inventory.updated"]);
    expect(got(aConfirmed.secret)).toEqual(["booking.confirmed"]);
    expect(got(bAll.secret)).toEqual(["inventory.updated", "inventory.updated"]);

    for (const request of rx.requests) {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(["aggregate_version", "correlation_id", "created_at", "data", "id", "schema_version", "type"]);
      expect(request.headers["webhook-id"]).toBe(body.id);
      expect(request.headers["content-type"]).toBe("application/json");
    }
    // svix verifies the same requests
    const aRequest = rx.requests.find((r) => r.path.endsWith("ep=a-all") && JSON.parse(r.body).type === "booking.confirmed")!;
    expect(() => new SvixWebhook(aAll.secret).verify(aRequest.body, aRequest.headers)).not.toThrow();

    // the attempt rows: signed-with versions, redacted signature, correlation id, ack
    const event = await getDb().event.findFirstOrThrow({ where: { bookingId: held.id, type: "booking.confirmed" } });
    const delivery = await deliveryOf(aAll.endpoint.id, event.id);
    expect(delivery).toMatchObject({ status: "SUCCEEDED", attemptCount: 1, lockedUntil: null, leaseToken: null, nextAttemptAt: null });
    const [attempt] = await attemptsOf(delivery.id);
    expect(attempt).toMatchObject({ attemptNumber: 1, trigger: "SCHEDULED", responseStatus: 204, failureClass: null, signedWith: ["secret_v1"] });
    expect(attempt!.correlationId).toBe(event.correlationId);
    expect(JSON.stringify(attempt!.requestHeaders)).not.toContain(aRequest.headers["webhook-signature"]);
    const health = await getWebhookEndpoint(bAll.endpoint.id, b.actor);
    expect(health.health.poolAcks).toEqual([
      expect.objectContaining({ poolId: pool.poolId, ackedVersion: 2, currentVersion: 2, versionsBehind: 0 }),
    ]);
    expect(health.health).toMatchObject({ attempts: 2, succeeded: 2, successRate: 1, pendingDeliveries: 0, oldestUndelivered: null });
  });

  it("never delivers an event before its transaction commits, nor one whose transaction rolled back", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await endpointFor(partner, rx.url);
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      // An open transaction with an event in it…
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, partner_id, correlation_id, data)
         VALUES ('evt_open0000000000000000000000', 'booking.held', 'booking', 'x', 1, $1, 'cor_open', '{}')`,
        [partner.id],
      );
      // …and one committed after it began (a higher txid): neither may go out yet.
      const later = await emit(partner);
      expect((await fanOutEvents()).deliveries).toBe(0);
      expect(await getDb().webhookDelivery.count({ where: { endpointId: ep.endpoint.id } })).toBe(0);
      await client.query("COMMIT");
      await dispatchOnce();
      const ids = rx.requests.map((r) => r.headers["webhook-id"]).sort();
      expect(ids).toEqual(["evt_open0000000000000000000000", later].sort());

      // A rolled-back event never reaches anyone.
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, partner_id, correlation_id, data)
         VALUES ('evt_gone0000000000000000000000', 'booking.held', 'booking', 'y', 1, $1, 'cor_gone', '{}')`,
        [partner.id],
      );
      await client.query("ROLLBACK");
      await expect(
        inTransaction({}, async (tx) => {
          await appendEvent(tx, { type: "booking.held", aggregateType: "booking", aggregateId: "z", aggregateVersion: 1, partnerId: partner.id, correlationId: "cor_rb", data: {} });
          throw new Error("the change fails, its event goes with it");
        }),
      ).rejects.toThrow();
      const after = await emit(partner);
      await dispatchOnce();
      expect(rx.requests.map((r) => r.headers["webhook-id"])).toEqual(expect.arrayContaining([after]));
      expect(rx.requests).toHaveLength(3);
      expect(await getDb().webhookDelivery.count({ where: { endpointId: ep.endpoint.id } })).toBe(3);
    } finally {
      await client.end();
    }
  });
});

describe("the retry schedule", () => {
  it("a receiver failing three times then succeeding gets exactly the scheduled attempts, jitter within ±10 %", async () => {
    const partner = await createPartner();
    const rx = await receiver((i) => (i < 3 ? { status: 500, body: "down for maintenance" } : { status: 200, body: "ok" }));
    const ep = await endpointFor(partner, rx.url);
    const eventId = await emit(partner);
    let now = new Date();
    const first = await dispatchOnce({ now });
    expect(first).toHaveLength(1);
    const deliveryId = first[0]!.deliveryId;
    // health after one failure: the failure streak, and the event still owed (lag)
    const failing = await getWebhookEndpoint(ep.endpoint.id, partner.actor, { now: new Date(now.getTime() + 60_000) });
    expect(failing.health).toMatchObject({
      attempts: 1,
      succeeded: 0,
      successRate: 0,
      consecutiveFailures: 1,
      pendingDeliveries: 1,
      oldestUndelivered: { eventId, eventType: "booking.confirmed" },
    });
    expect(failing.health.latencyP50Ms).not.toBeNull();
    expect(failing.health.oldestUndelivered!.lagSeconds).toBeGreaterThanOrEqual(60);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const d = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
      expect(d.status).toBe("RETRYING");
      const attempts = await attemptsOf(deliveryId);
      const last = attempts.at(-1)!;
      const finished = last.startedAt.getTime() + last.durationMs!;
      const delay = d.nextAttemptAt!.getTime() - finished;
      const base = RETRY_SCHEDULE_MS[attempt]!;
      expect(delay, `delay after attempt ${attempt}`).toBeGreaterThanOrEqual(base * 0.9 - 2);
      expect(delay).toBeLessThanOrEqual(base * 1.1 + 2);
      // a moment before it is due, nothing is attempted
      expect(await dispatchOnce({ now: new Date(d.nextAttemptAt!.getTime() - 1) })).toHaveLength(0);
      now = d.nextAttemptAt!;
      const results = await dispatchOnce({ now });
      expect(results).toHaveLength(1);
    }
    const done = await deliveryOf(ep.endpoint.id, eventId);
    expect(done).toMatchObject({ status: "SUCCEEDED", attemptCount: 4, nextAttemptAt: null });
    const attempts = await attemptsOf(deliveryId);
    expect(attempts.map((a) => [a.attemptNumber, a.trigger, a.responseStatus, a.failureClass])).toEqual([
      [1, "SCHEDULED", 500, "HTTP_5XX"],
      [2, "RETRY", 500, "HTTP_5XX"],
      [3, "RETRY", 500, "HTTP_5XX"],
      [4, "RETRY", 200, null],
    ]);
    expect(attempts[0]!.responseBody).toBe("down for maintenance");
    expect(new Set(rx.requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([eventId]));
    const endpoint = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpoint.id } });
    expect(endpoint).toMatchObject({ consecutiveFailures: 0, failingSince: null, status: "ACTIVE" });
    expect(endpoint.lastSuccessAt).not.toBeNull();
    expect(endpoint.lastFailureAt).not.toBeNull();
    expect(await dispatchOnce({ now: new Date(now.getTime() + 48 * 3_600_000) })).toHaveLength(0);
  });

  it("dead-letters after the eighth failure and tries no more", async () => {
    const partner = await createPartner();
    const rx = await receiver(() => ({ status: 502 }));
    await endpointFor(partner, rx.url);
    await emit(partner);
    let now = new Date();
    const [first] = await dispatchOnce({ now });
    let deliveryId = first!.deliveryId;
    for (let i = 2; i <= 8; i++) {
      const d = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
      now = d.nextAttemptAt!;
      const [r] = await dispatchOnce({ now });
      deliveryId = r!.deliveryId;
      expect(r!.attemptNumber).toBe(i);
    }
    const dead = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(dead).toMatchObject({ status: "DEAD", attemptCount: 8, nextAttemptAt: null });
    expect(dead.deadAt).not.toBeNull();
    expect(rx.requests).toHaveLength(8);
    expect(await dispatchOnce({ now: new Date(now.getTime() + 7 * 86_400_000) })).toHaveLength(0);
    // the schedule spans ~27.6 h; the endpoint failed throughout, but for less than 72 h
    expect((await getDb().webhookEndpoint.findFirstOrThrow({ where: { partnerId: partner.id } })).status).toBe("ACTIVE");
  });

  it("honours Retry-After on 429 for the delivery and pauses the endpoint", async () => {
    const partner = await createPartner();
    const rx = await receiver((i) => (i === 0 ? { status: 429, headers: { "retry-after": "120" } } : { status: 200 }));
    const ep = await endpointFor(partner, rx.url);
    await emit(partner);
    const now = new Date();
    const [first] = await dispatchOnce({ now });
    expect(first).toMatchObject({ success: false, failureClass: "HTTP_4XX", responseStatus: 429 });
    const d = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: first!.deliveryId } });
    const finished = now.getTime() + first!.durationMs;
    expect(d.nextAttemptAt!.getTime() - finished).toBe(120_000);
    const endpoint = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpoint.id } });
    expect(endpoint.throttledUntil!.getTime() - finished).toBe(120_000);
    // A new event for the same endpoint waits out the pause too.
    await emit(partner);
    expect(await dispatchOnce({ now: new Date(now.getTime() + 60_000) })).toHaveLength(0);
    const later = await dispatchOnce({ now: new Date(finished + 120_000) });
    expect(later).toHaveLength(2);
    expect(later.filter((r) => !r.success)).toEqual([]);
  });

  it("times out a hanging receiver and retries it", async () => {
    const partner = await createPartner();
    const rx = await receiver((i) => (i === 0 ? { hang: true } : { status: 200 }));
    await endpointFor(partner, rx.url);
    await emit(partner);
    const now = new Date();
    const started = performance.now();
    const [first] = await dispatchOnce({ now, timeoutMs: 400 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(first).toMatchObject({ success: false, failureClass: "TIMEOUT", responseStatus: null, deliveryStatus: "RETRYING" });
    expect(first!.durationMs).toBeGreaterThanOrEqual(350);
    const [attempt] = await attemptsOf(first!.deliveryId);
    expect(attempt!.errorMessage).toMatch(/timed out|timeout|aborted/i);
    const [second] = await dispatchOnce({ now: first!.nextAttemptAt!, timeoutMs: 400 });
    expect(second).toMatchObject({ success: true, attemptNumber: 2 });
  });
});

describe("the endpoint's state", () => {
  it("410 Gone disables the endpoint, parks its deliveries, and enabling resumes them", async () => {
    const partner = await createPartner();
    let gone = true;
    const rx = await receiver(() => (gone ? { status: 410 } : { status: 200 }));
    const ep = await endpointFor(partner, rx.url);
    await emit(partner);
    const now = new Date();
    const [first] = await dispatchOnce({ now });
    expect(first!.endpointDisabled).toMatch(/410 Gone/);
    const endpoint = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpoint.id } });
    expect(endpoint.status).toBe("DISABLED");
    expect(endpoint.disabledReason).toMatch(/410 Gone/);
    expect(await getDb().auditEntry.count({ where: { targetId: ep.endpoint.id, action: "webhook_endpoint.disable" } })).toBe(1);
    // parked: not due, and new events make no deliveries while disabled
    expect((await deliveryOf(ep.endpoint.id, first!.eventId)).nextAttemptAt).toBeNull();
    await emit(partner);
    expect(await dispatchOnce({ now: new Date(now.getTime() + 86_400_000) })).toHaveLength(0);
    expect(await getDb().webhookDelivery.count({ where: { endpointId: ep.endpoint.id } })).toBe(1);

    gone = false;
    const user = await getDb().user.create({
      data: { email: `ops-${crypto.randomUUID()}@test.holdfast`, name: "Ops", role: "OPS_LEAD", passwordHash: "x" },
    });
    const ops: Actor = { type: "USER", id: user.id, label: user.email, scopes: ["endpoint.manage", "delivery.read"], facilityIds: null, correlationId: "cor_ops" };
    const enabled = await enableWebhookEndpoint(ep.endpoint.id, ops);
    expect(enabled).toMatchObject({ status: "ACTIVE", disabledReason: null, consecutiveFailures: 0 });
    const resumed = await dispatchOnce();
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ success: true, deliveryId: first!.deliveryId, attemptNumber: 2 });
  });

  it("disables an endpoint whose every attempt failed for the configured span", async () => {
    const partner = await createPartner();
    const rx = await receiver(() => ({ status: 503 }));
    const ep = await endpointFor(partner, rx.url);
    await emit(partner);
    const span = 10 * 60_000; // 10 min here; HOLDFAST_ENDPOINT_DISABLE_AFTER_HOURS (72 h) in production
    let now = new Date();
    let result = (await dispatchOnce({ now, disableAfterMs: span }))[0]!;
    while (!result.endpointDisabled) {
      expect(result.attemptNumber).toBeLessThan(5);
      now = result.nextAttemptAt!;
      result = (await dispatchOnce({ now, disableAfterMs: span }))[0]!;
    }
    // attempts at 0, ~5 s, ~5 min, ~35 min: the fourth is past 10 min of failing
    expect(result.attemptNumber).toBe(4);
    const endpoint = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpoint.id } });
    expect(endpoint).toMatchObject({ status: "DISABLED", consecutiveFailures: 4 });
    expect(endpoint.disabledReason).toMatch(/Every attempt failed for 0\.2 h/);
  });

  it("rotating the secret signs with both secrets for 24 h; signedWith records the versions", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await endpointFor(partner, rx.url);
    const rotated = await rotateWebhookSecret(ep.endpoint.id, partner.actor);
    expect(rotated.endpoint.secretVersion).toBe(2);
    expect(rotated.secret).not.toBe(ep.secret);
    await emit(partner);
    const [result] = await dispatchOnce();
    const request = rx.requests[0]!;
    expect(request.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    for (const secret of [ep.secret, rotated.secret]) {
      expect(() => new StandardWebhook(secret).verify(request.body, request.headers)).not.toThrow();
      expect(() => new SvixWebhook(secret).verify(request.body, request.headers)).not.toThrow();
    }
    const [attempt] = await attemptsOf(result!.deliveryId);
    expect(attempt!.signedWith).toEqual(["secret_v2", "secret_v1"]);
    // a day later only the new secret signs
    await emit(partner);
    const [next] = await dispatchOnce({ now: new Date(Date.now() + 24 * 3_600_000 + 1000) });
    const [nextAttempt] = await attemptsOf(next!.deliveryId);
    expect(nextAttempt!.signedWith).toEqual(["secret_v2"]);
    expect(rx.requests[1]!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
  });

  it("a manual replay re-sends with the same webhook-id and records who asked", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    await endpointFor(partner, rx.url);
    const eventId = await emit(partner);
    const [first] = await dispatchOnce();
    const user = await getDb().user.create({
      data: { email: `support-${crypto.randomUUID()}@test.holdfast`, name: "Support", role: "SUPPORT", passwordHash: "x" },
    });
    const replay = await deliverAttempt(first!.deliveryId, { trigger: "MANUAL_REPLAY", triggeredById: user.id, correlationId: "cor_replay_1" });
    expect(replay).toMatchObject({ kind: "attempted", success: true, attemptNumber: 2, deliveryStatus: "SUCCEEDED" });
    expect(rx.requests.map((r) => r.headers["webhook-id"])).toEqual([eventId, eventId]);
    const attempts = await attemptsOf(first!.deliveryId);
    expect(attempts[1]).toMatchObject({ trigger: "MANUAL_REPLAY", triggeredById: user.id, correlationId: "cor_replay_1" });
    expect(await deliverAttempt("msg_00000000000000000000000000", { trigger: "MANUAL_REPLAY" })).toEqual({
      kind: "not_found",
      deliveryId: "msg_00000000000000000000000000",
    });
  });
});

describe("leases", () => {
  it("an attempt that outlived its lease is recorded, but leaves the schedule to the attempt that took over", async () => {
    const partner = await createPartner();
    const rx = await receiver(() => ({ status: 500 }));
    const ep = await endpointFor(partner, rx.url);
    const eventId = await emit(partner);
    const now = new Date();
    await fanOutCommitted({ now });
    // The first claimer's lease lapses at once; a second claimer takes the delivery over.
    const [stale] = await claimDueDeliveries({ limit: 10, now, leaseMs: 1 });
    const [current] = await claimDueDeliveries({ limit: 10, now: new Date(now.getTime() + 2), leaseMs: 60_000 });
    expect(stale!.id).toBe(current!.id);
    const late = await attemptClaimed(stale!, { trigger: null, now });
    expect(late).toMatchObject({ leaseLost: true, attemptNumber: 1, deliveryStatus: "PENDING" });
    const owner = await attemptClaimed(current!, { trigger: null, now: new Date(now.getTime() + 2) });
    expect(owner).toMatchObject({ leaseLost: false, attemptNumber: 2, deliveryStatus: "RETRYING" });
    const delivery = await deliveryOf(ep.endpoint.id, eventId);
    expect(delivery).toMatchObject({ attemptCount: 2, status: "RETRYING", lockedUntil: null, leaseToken: null });
    expect((await attemptsOf(delivery.id)).map((a) => a.attemptNumber)).toEqual([1, 2]);
  });
});

describe("concurrency", () => {
  it("never has more requests in flight to an endpoint than its max_concurrency, across dispatchers", async () => {
    const partner = await createPartner();
    const rx = await receiver(() => ({ status: 200, delayMs: 150 }));
    const ep = await endpointFor(partner, rx.url);
    await getDb().webhookEndpoint.update({ where: { id: ep.endpoint.id }, data: { maxConcurrency: 3 } });
    for (let i = 0; i < 24; i++) await emit(partner);
    const dispatchers = [1, 2].map(() => new WebhookDispatcher({ concurrency: 16, fanoutPollMs: 10, claimPollMs: 20 }));
    for (const d of dispatchers) d.start();
    const deadline = Date.now() + 30_000;
    while (
      (await getDb().webhookDelivery.count({ where: { endpointId: ep.endpoint.id, status: "SUCCEEDED" } })) < 24 &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all(dispatchers.map((d) => d.stop()));
    expect(await getDb().webhookDelivery.count({ where: { endpointId: ep.endpoint.id, status: "SUCCEEDED" } })).toBe(24);
    expect(rx.requests).toHaveLength(24);
    expect(rx.maxConcurrent).toBe(3);
  });
});
