import crypto from "node:crypto";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { worldState } from "../../../test/api/helpers";
import {
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolInvariantViolations,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
} from "../../../test/factories";
import { startRouteServer, type RouteServer } from "../../../test/route-server";
import { getDb } from "../../db";
import { installWorkerSchema } from "../../worker/worker-schema";
import { startWorker } from "../../worker/run-worker";
import { confirmBooking } from "../bookings/confirm-booking";
import { createHold } from "../bookings/create-hold";
import { fulfilBooking } from "../bookings/fulfil-booking";
import { JOBS } from "@/server/domain/shared/jobs";
import { applyPaymentEvent } from "./apply-payment-event";

// A database of this file's own: no other file's worker may apply these events behind the
// tests' backs (the ordering tests decide exactly when each event is applied).
let dropDatabase: () => Promise<void>;
let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("payments");
  await installWorkerSchema(process.env.DATABASE_URL!);
  server = await startRouteServer();
  pool = await createFacilityWithPool({ units: 40 });
  partner = await createPartner();
});
afterAll(async () => {
  await server?.close();
  await dropDatabase?.();
});

const SECRET = () => process.env.PAYMENT_WEBHOOK_SECRET!;

function paymentEvent(type: string, reference: string, createdAt = new Date(), overrides: Record<string, unknown> = {}) {
  return {
    id: `pay_evt_${crypto.randomUUID()}`,
    type,
    created_at: createdAt.toISOString(),
    data: { booking_reference: reference, amount_cents: 12_900, currency: "GBP" },
    ...overrides,
  };
}

interface Delivery {
  webhookId?: string;
  secret?: string;
  at?: Date;
  headers?: Record<string, string>;
  correlationId?: string;
}

async function deliver(body: unknown, options: Delivery = {}) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const webhookId = options.webhookId ?? `msg_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "webhook-id": webhookId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(options.secret ?? SECRET()).sign(webhookId, at, raw),
    ...(options.correlationId ? { "x-correlation-id": options.correlationId } : {}),
    ...options.headers,
  };
  const response = await fetch(`${server.url}/api/webhooks/payments`, { method: "POST", headers, body: raw });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, json, webhookId };
}

async function newHold() {
  return createHold(holdInput(pool), partner.actor);
}

async function booking(reference: string) {
  return getDb().booking.findUniqueOrThrow({ where: { reference } });
}

async function inbound(id: string) {
  return getDb().inboundWebhookEvent.findUniqueOrThrow({ where: { id } });
}

async function jobsFor(webhookId: string): Promise<number> {
  const rows = await getDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${JOBS.applyPaymentEvent} AND j.payload->>'inboundEventId' = ${webhookId}`;
  return rows[0]!.n;
}

async function eventCount(bookingId: string, type: string) {
  return getDb().event.count({ where: { bookingId, type } });
}

async function auditCount(reference: string, action: string) {
  return getDb().auditEntry.count({ where: { targetId: reference, action } });
}

describe("POST /api/webhooks/payments", () => {
  it("stores a signed payment.authorized event with its job; the job confirms the held booking as the payment provider", async () => {
    const held = await newHold();
    const event = paymentEvent("payment.authorized", held.reference);
    const response = await deliver(event, { correlationId: "cor_pay_confirm_1" });

    expect(response.status).toBe(200);
    expect(response.json).toEqual({ received: true, duplicate: false });
    expect(response.headers.get("x-correlation-id")).toBe("cor_pay_confirm_1");
    const stored = await inbound(response.webhookId);
    expect(stored).toMatchObject({
      source: "payment-provider",
      type: "payment.authorized",
      status: "RECEIVED",
      bookingReference: held.reference,
      providerEventId: event.id,
      correlationId: "cor_pay_confirm_1",
      processedAt: null,
    });
    expect(stored.occurredAt?.toISOString()).toBe(event.created_at);
    expect(stored.rawBody).toBe(JSON.stringify(event));
    expect(await jobsFor(response.webhookId)).toBe(1);
    // Nothing happens to the booking until the job runs.
    expect((await booking(held.reference)).status).toBe("TENTATIVE");

    const result = await applyPaymentEvent(response.webhookId);
    expect(result).toEqual({ kind: "applied", status: "PROCESSED", outcome: "confirmed", error: null });

    const after = await booking(held.reference);
    expect(after.status).toBe("CONFIRMED");
    expect(after.version).toBe(held.version + 1);
    const processed = await inbound(response.webhookId);
    expect(processed).toMatchObject({ status: "PROCESSED", outcome: "confirmed", error: null });
    expect(processed.processedAt).toBeInstanceOf(Date);

    const db = getDb();
    const confirmedEvents = await db.event.findMany({ where: { bookingId: held.id, type: "booking.confirmed" } });
    expect(confirmedEvents).toHaveLength(1);
    expect(confirmedEvents[0]!.correlationId).toBe("cor_pay_confirm_1");
    const audit = await db.auditEntry.findFirstOrThrow({ where: { targetId: held.reference, action: "booking.confirm" } });
    expect(audit).toMatchObject({ actorType: "PAYMENT_PROVIDER", actorLabel: "payment-provider", correlationId: "cor_pay_confirm_1" });
    const applied = await db.auditEntry.findFirstOrThrow({ where: { targetId: held.reference, action: "payment.apply" } });
    expect(applied).toMatchObject({ actorType: "PAYMENT_PROVIDER", result: "SUCCESS", facilityId: pool.facilityId });
    expect(applied.metadata).toMatchObject({
      webhook_id: response.webhookId,
      provider_event_id: event.id,
      event_type: "payment.authorized",
      amount_cents: 12_900,
      currency: "GBP",
      outcome: "confirmed",
    });
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });

  it("applies a redelivered webhook-id once: one row, one job, one booking.confirmed, one audit entry", async () => {
    const held = await newHold();
    const event = paymentEvent("payment.authorized", held.reference);
    const webhookId = `msg_${crypto.randomUUID()}`;
    const first = await deliver(event, { webhookId });
    // The provider retries the same message a little later: same id and body, new timestamp.
    const second = await deliver(event, { webhookId, at: new Date(Date.now() + 2000) });
    expect(first.json).toEqual({ received: true, duplicate: false });
    expect(second.status).toBe(200);
    expect(second.json).toEqual({ received: true, duplicate: true });
    expect(await getDb().inboundWebhookEvent.count({ where: { id: webhookId } })).toBe(1);
    expect(await jobsFor(webhookId)).toBe(1);

    expect((await applyPaymentEvent(webhookId)).kind).toBe("applied");
    // A job that runs again (a retry after a lost acknowledgement) finds the event final.
    expect(await applyPaymentEvent(webhookId)).toEqual({ kind: "already-final", status: "PROCESSED" });
    const third = await deliver(event, { webhookId });
    expect(third.json).toEqual({ received: true, duplicate: true });

    // The same provider event under a new webhook-id is a no-op for the booking.
    const again = await deliver(event);
    expect(await applyPaymentEvent(again.webhookId)).toMatchObject({ status: "PROCESSED", outcome: "already_confirmed" });

    expect((await booking(held.reference)).status).toBe("CONFIRMED");
    expect(await eventCount(held.id, "booking.confirmed")).toBe(1);
    expect(await auditCount(held.reference, "booking.confirm")).toBe(1);
    expect(await auditCount(held.reference, "payment.apply")).toBe(2);
  });

  it("stores concurrent deliveries of one webhook-id once, with one job", async () => {
    const held = await newHold();
    const event = paymentEvent("payment.authorized", held.reference);
    const webhookId = `msg_${crypto.randomUUID()}`;
    const responses = await Promise.all(Array.from({ length: 6 }, () => deliver(event, { webhookId })));
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(responses.filter((r) => r.json.duplicate === false)).toHaveLength(1);
    expect(await jobsFor(webhookId)).toBe(1);
  });

  describe("ordering: the provider's created_at decides", () => {
    it("ignores an older payment.failed that arrives after a newer payment.authorized was applied (superseded)", async () => {
      const held = await newHold();
      const t0 = new Date(Date.now() - 60_000);
      const t1 = new Date(Date.now() - 30_000);
      const authorized = await deliver(paymentEvent("payment.authorized", held.reference, t1));
      await applyPaymentEvent(authorized.webhookId);
      const late = await deliver(paymentEvent("payment.failed", held.reference, t0));
      expect(late.status).toBe(200);

      const result = await applyPaymentEvent(late.webhookId);
      expect(result).toMatchObject({ status: "IGNORED", outcome: "superseded" });
      expect((await inbound(late.webhookId)).error).toContain(authorized.webhookId);
      const after = await booking(held.reference);
      expect(after.status).toBe("CONFIRMED");
      expect(await eventCount(held.id, "booking.cancelled")).toBe(0);
    });

    it("applies only the newer of two pending events, whichever the job picks first", async () => {
      const held = await newHold();
      const t0 = new Date(Date.now() - 60_000);
      const t1 = new Date(Date.now() - 30_000);
      const older = await deliver(paymentEvent("payment.failed", held.reference, t0));
      const newer = await deliver(paymentEvent("payment.authorized", held.reference, t1));

      // The older one is processed first; it must not cancel the hold the newer one confirms.
      expect(await applyPaymentEvent(older.webhookId)).toMatchObject({ status: "IGNORED", outcome: "superseded" });
      expect(await applyPaymentEvent(newer.webhookId)).toMatchObject({ status: "PROCESSED", outcome: "confirmed" });
      expect((await booking(held.reference)).status).toBe("CONFIRMED");
      expect(await eventCount(held.id, "booking.cancelled")).toBe(0);
    });

    it("gives the same result when two events for one booking are applied at the same moment", async () => {
      const held = await newHold();
      const older = await deliver(paymentEvent("payment.authorized", held.reference, new Date(Date.now() - 60_000)));
      const newer = await deliver(paymentEvent("payment.failed", held.reference, new Date(Date.now() - 30_000)));
      const results = await Promise.all([applyPaymentEvent(older.webhookId), applyPaymentEvent(newer.webhookId)]);
      expect(results.map((r) => (r.kind === "applied" ? r.outcome : r.kind))).toEqual(["superseded", "cancelled"]);
      expect((await booking(held.reference)).status).toBe("CANCELLED");
      expect(await eventCount(held.id, "booking.confirmed")).toBe(0);
      expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
    });

    it("cancels a confirmed booking when a newer payment.failed follows the authorization", async () => {
      const held = await newHold();
      const authorized = await deliver(paymentEvent("payment.authorized", held.reference, new Date(Date.now() - 60_000)));
      await applyPaymentEvent(authorized.webhookId);
      const failedEvent = paymentEvent("payment.failed", held.reference, new Date(Date.now() - 10_000));
      const failed = await deliver(failedEvent);

      expect(await applyPaymentEvent(failed.webhookId)).toMatchObject({ status: "PROCESSED", outcome: "cancelled" });
      const after = await booking(held.reference);
      expect(after).toMatchObject({ status: "CANCELLED", cancelReason: "Payment failed", cancelledBy: "payment-provider" });
      const cancelled = await getDb().event.findFirstOrThrow({ where: { bookingId: held.id, type: "booking.cancelled" } });
      expect(cancelled.data).toMatchObject({ previous_status: "confirmed", cancelled_by: "payment_provider" });
      const audit = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: held.reference, action: "payment.apply", metadata: { path: ["webhook_id"], equals: failed.webhookId } } });
      expect(audit.metadata).toMatchObject({ provider_event_id: failedEvent.id, outcome: "cancelled" });
      expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
    });
  });

  describe("outcomes the booking refuses are recorded, not retried", () => {
    it("records FAILED hold_expired when the hold lapsed before the authorization was applied", async () => {
      const held = await newHold();
      await getDb().booking.update({ where: { id: held.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
      const response = await deliver(paymentEvent("payment.authorized", held.reference));
      const result = await applyPaymentEvent(response.webhookId);
      expect(result).toMatchObject({ kind: "applied", status: "FAILED", outcome: "hold_expired" });
      expect((await inbound(response.webhookId)).error).toMatch(/expired/);
      expect((await booking(held.reference)).status).toBe("TENTATIVE"); // the expiry job's to release
      expect(await eventCount(held.id, "booking.confirmed")).toBe(0);
      const audit = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: held.reference, action: "payment.apply" } });
      expect(audit).toMatchObject({ result: "FAILED", actorType: "PAYMENT_PROVIDER" });
    });

    it("records FAILED booking_not_found for an unknown booking reference", async () => {
      const response = await deliver(paymentEvent("payment.authorized", "BK-NOPE00"));
      expect(response.status).toBe(200);
      expect(await applyPaymentEvent(response.webhookId)).toMatchObject({ status: "FAILED", outcome: "booking_not_found" });
    });

    it("never moves a customer out on a failed payment: a fulfilled booking is left for staff", async () => {
      const held = await newHold();
      await confirmBooking(held.reference, partner.actor);
      await fulfilBooking(held.reference, partner.actor);
      const response = await deliver(paymentEvent("payment.failed", held.reference));
      expect(await applyPaymentEvent(response.webhookId)).toMatchObject({ status: "FAILED", outcome: "booking_fulfilled" });
      expect((await booking(held.reference)).status).toBe("FULFILLED");
    });

    it("records FAILED invalid_transition when a cancelled booking's payment is authorized", async () => {
      const held = await newHold();
      const { cancelBooking } = await import("../bookings/cancel-booking");
      await cancelBooking(held.reference, { reason: "Customer changed their mind" }, partner.actor);
      const response = await deliver(paymentEvent("payment.authorized", held.reference));
      expect(await applyPaymentEvent(response.webhookId)).toMatchObject({ status: "FAILED", outcome: "invalid_transition" });
      expect((await booking(held.reference)).status).toBe("CANCELLED");
    });
  });

  describe("refusals change no booking", () => {
    async function expectRejected(response: Awaited<ReturnType<typeof deliver>>, status: number, code: string, reason: RegExp) {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(response.json).toMatchObject({ status, code, correlation_id: expect.any(String) });
      expect(String(response.json.detail)).toMatch(reason);
      // Stored for the log under a synthetic id, never under the untrusted webhook-id.
      expect(await getDb().inboundWebhookEvent.count({ where: { id: response.webhookId } })).toBe(0);
      const rejected = await getDb().inboundWebhookEvent.findFirstOrThrow({
        where: { status: "REJECTED", correlationId: response.json.correlation_id as string },
      });
      expect(rejected.id).toMatch(/^rej_[0-9a-f-]{36}$/);
      expect(rejected.error).toMatch(reason);
      expect(rejected.error).toContain(response.webhookId);
      expect(rejected.rawBody.length).toBeLessThanOrEqual(2048 + 40);
      expect(rejected.processedAt).toBeInstanceOf(Date);
      expect(await jobsFor(response.webhookId)).toBe(0);
      return rejected;
    }

    it("answers 401 to a bad signature, stores it REJECTED and leaves the booking as it was", async () => {
      const held = await newHold();
      const before = await worldState(pool.poolId);
      const eventsBefore = await getDb().event.count({ where: { bookingId: held.id } });
      const response = await deliver(paymentEvent("payment.authorized", held.reference), {
        secret: "whsec_" + Buffer.from("not-the-provider-secret-at-all!!").toString("base64"),
      });
      await expectRejected(response, 401, "UNAUTHENTICATED", /No webhook-signature matches/);
      const after = await worldState(pool.poolId);
      expect(after).toEqual(before);
      const row = await booking(held.reference);
      expect(row).toMatchObject({ status: "TENTATIVE", version: held.version });
      expect(await getDb().event.count({ where: { bookingId: held.id } })).toBe(eventsBefore);
    });

    it("answers 401 to a body altered after signing", async () => {
      const held = await newHold();
      const event = paymentEvent("payment.failed", held.reference);
      const webhookId = `msg_${crypto.randomUUID()}`;
      const at = new Date();
      const signature = new Webhook(SECRET()).sign(webhookId, at, JSON.stringify(event));
      const tampered = { ...event, data: { ...event.data, booking_reference: "BK-OTHER1" } };
      const response = await deliver(tampered, { webhookId, at, headers: { "webhook-signature": signature } });
      await expectRejected(response, 401, "UNAUTHENTICATED", /No webhook-signature matches/);
      expect((await booking(held.reference)).status).toBe("TENTATIVE");
    });

    it("answers 401 to a stale (or far-future) timestamp, even when correctly signed", async () => {
      const held = await newHold();
      const before = await worldState(pool.poolId);
      const stale = await deliver(paymentEvent("payment.authorized", held.reference), { at: new Date(Date.now() - 6 * 60_000) });
      await expectRejected(stale, 401, "UNAUTHENTICATED", /more than 5 minutes old/);
      const future = await deliver(paymentEvent("payment.authorized", held.reference), { at: new Date(Date.now() + 6 * 60_000) });
      await expectRejected(future, 401, "UNAUTHENTICATED", /in the future/);
      expect(await worldState(pool.poolId)).toEqual(before);
    });

    it("answers 401 when the signature headers are missing", async () => {
      const response = await deliver(paymentEvent("payment.authorized", "BK-XXXXXX"), { headers: { "webhook-signature": "" } });
      await expectRejected(response, 401, "UNAUTHENTICATED", /Missing header\(s\): webhook-signature/);
    });

    it("answers 413 to a body over 64 KB without verifying it, and stores the start of it REJECTED", async () => {
      const held = await newHold();
      const before = await worldState(pool.poolId);
      const event = paymentEvent("payment.authorized", held.reference, new Date(), { padding: "x".repeat(70_000) });
      const response = await deliver(event);
      const rejected = await expectRejected(response, 413, "PAYLOAD_TOO_LARGE", /larger than 65536 bytes/);
      expect(rejected.rawBody.startsWith('{"id":"pay_evt_')).toBe(true);
      expect(await worldState(pool.poolId)).toEqual(before);
    });
  });

  describe("signed but not an event we apply", () => {
    it("answers 422 to a malformed payment event, stores it FAILED with the reason, and answers a retry the same", async () => {
      const held = await newHold();
      const before = await worldState(pool.poolId);
      const event = paymentEvent("payment.authorized", held.reference);
      const bad = { ...event, data: { booking_reference: held.reference, amount_cents: -5, currency: "pounds" } };
      const webhookId = `msg_${crypto.randomUUID()}`;
      const response = await deliver(bad, { webhookId });
      expect(response.status).toBe(422);
      expect(response.json).toMatchObject({ code: "VALIDATION_FAILED", webhook_id: webhookId });
      expect((response.json.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["data.amount_cents", "data.currency"]);
      const stored = await inbound(webhookId);
      expect(stored).toMatchObject({ status: "FAILED", outcome: "invalid_payload", type: "payment.authorized", bookingReference: null });
      expect(stored.error).toMatch(/data\.amount_cents/);
      expect(await jobsFor(webhookId)).toBe(0);
      expect((await deliver(bad, { webhookId })).status).toBe(422);
      expect(await worldState(pool.poolId)).toEqual(before);
    });

    it("answers 422 to a body that is not JSON", async () => {
      const response = await deliver("this is not json");
      expect(response.status).toBe(422);
      expect(await inbound(response.webhookId)).toMatchObject({ status: "FAILED", outcome: "invalid_payload" });
    });

    it("answers 422 (never a 500) to a body PostgreSQL could not store", async () => {
      const event = paymentEvent("payment.authorized", "BK-NUL000");
      const response = await deliver(JSON.stringify(event).replace("BK-NUL000", "BK-\\u0000NUL"));
      expect(response.status).toBe(422);
      expect(await inbound(response.webhookId)).toMatchObject({ status: "FAILED", outcome: "invalid_payload" });
    });

    it("stores an unknown event type IGNORED and answers 200 so the provider stops sending it", async () => {
      const response = await deliver(paymentEvent("payment.refunded", "BK-ANY000"));
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ received: true, ignored: true, duplicate: false });
      const stored = await inbound(response.webhookId);
      expect(stored).toMatchObject({ status: "IGNORED", outcome: "unknown_type", type: "payment.refunded" });
      expect(stored.processedAt).toBeInstanceOf(Date);
      expect(await jobsFor(response.webhookId)).toBe(0);
    });
  });

  it("runs as the apply_payment_event task: parses its payload and applies the event", async () => {
    const { applyPaymentEventTask } = await import("../../jobs/apply-payment-event");
    const held = await newHold();
    const response = await deliver(paymentEvent("payment.authorized", held.reference));
    const logs: string[] = [];
    const helpers = {
      job: { id: "1", task_identifier: JOBS.applyPaymentEvent, attempts: 1, max_attempts: 10 },
      logger: { info: (message: string) => logs.push(message) },
    };
    await applyPaymentEventTask({ inboundEventId: response.webhookId, correlationId: "cor_task" }, helpers as never);
    expect(logs[0]).toContain("PROCESSED (confirmed)");
    expect((await booking(held.reference)).status).toBe("CONFIRMED");
    await expect(applyPaymentEventTask({} as never, helpers as never)).rejects.toThrow(/malformed payload/);
  });

  it("is applied end to end by the worker", async () => {
    const held = await newHold();
    const worker = await startWorker({ databaseUrl: process.env.DATABASE_URL!, concurrency: 2, log: pino({ level: "silent" }) });
    try {
      const response = await deliver(paymentEvent("payment.authorized", held.reference));
      expect(response.status).toBe(200);
      const deadline = Date.now() + 20_000;
      let status = (await inbound(response.webhookId)).status;
      while (status === "RECEIVED" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await inbound(response.webhookId)).status;
      }
      expect(status).toBe("PROCESSED");
      expect((await booking(held.reference)).status).toBe("CONFIRMED");
    } finally {
      await worker.stop();
    }
  });
});

