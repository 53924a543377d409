import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import pino from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleUser, createFacilityWithPool, createPartner, useOwnDatabase, type TestPartner, type TestUser } from "../../../../test/factories";
import { startReceiver, type Receiver, type ReceiverAnswer } from "../../../../test/webhook-receiver";
import { getDb } from "../../../db";
import { installWorkerSchema } from "../../../worker/worker-schema";
import { startWorker, type RunningWorker } from "../../../worker/run-worker";
import type { Actor } from "@/server/domain/shared/actor";
import { isDomainError } from "@/server/domain/shared/errors";
import { appendEvent } from "@/server/domain/shared/events";
import { newId } from "@/server/domain/shared/ids";
import { inTransaction } from "@/server/domain/shared/transaction";
import { closeDefaultSender } from "../delivery/attempt-delivery";
import { cancelReplayJob } from "./cancel-replay-job";
import { createWebhookEndpoint } from "../endpoints/create-webhook-endpoint";
import { closeAsyncCommitPool } from "@/server/domain/shared/async-commit-db";
import { dispatchOnce } from "../delivery/dispatcher";
import { previewReplay } from "./preview-replay";
import { replayDelivery } from "./replay-delivery";
import { replayEvent } from "./replay-event";
import { getReplayJob, listReplayJobs } from "./replay-jobs";
import { recoverStalledReplayJobs, runReplayJob } from "./run-replay-job";
import { listTestPings, sendTestPing } from "../endpoints/send-test-ping";
import { disableWebhookEndpoint } from "../endpoints/set-webhook-endpoint-status";
import { replayWindow, startBulkReplay } from "./start-bulk-replay";

/**
 * Replays and test pings against real PostgreSQL (a database of this file's own: its
 * worker runs every replay job it finds) and real HTTP on loopback.
 */

let dropDatabase: () => Promise<void>;
const receivers: Receiver[] = [];
let opsLead: TestUser;
let support: TestUser;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("webhook_replay");
  await installWorkerSchema(process.env.DATABASE_URL!);
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
  support = await createConsoleUser({ role: "SUPPORT" });
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

async function emit(partner: TestPartner, facilityId: string | null = null): Promise<string> {
  return inTransaction({}, (tx) =>
    appendEvent(tx, {
      type: "booking.confirmed",
      aggregateType: "booking",
      aggregateId: crypto.randomUUID(),
      aggregateVersion: 1,
      partnerId: partner.id,
      facilityId,
      correlationId: `cor_${crypto.randomBytes(4).toString("hex")}`,
      data: { hello: "world" },
    }),
  );
}

/** `n` dead-lettered deliveries to one endpoint, written as rows (as if eight attempts had failed). */
async function deadDeliveries(partner: TestPartner, endpointId: string, n: number, createdAt = new Date()): Promise<string[]> {
  const events = Array.from({ length: n }, () => newId("evt", createdAt.getTime()));
  const deliveries = events.map(() => newId("msg", createdAt.getTime()));
  const db = getDb();
  await db.$executeRaw`
    INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, partner_id, correlation_id, data, created_at)
    SELECT id, 'booking.cancelled', 'booking', gen_random_uuid()::text, 1, ${partner.id}::uuid, 'cor_seeded', '{"n":1}'::jsonb, ${createdAt}
    FROM unnest(${events}::text[]) AS id`;
  await db.$executeRaw`
    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempt_count, last_status, dead_at, created_at)
    SELECT d.id, ${endpointId}, d.event_id, 'DEAD', 8, 500, ${createdAt}, ${createdAt}
    FROM unnest(${deliveries}::text[], ${events}::text[]) AS d(id, event_id)`;
  return deliveries;
}

async function attemptsOf(deliveryId: string) {
  return getDb().webhookAttempt.findMany({ where: { deliveryId }, orderBy: { attemptNumber: "asc" } });
}

async function replayAudits(where: { targetId?: string; jobId?: string }) {
  const rows = await getDb().$queryRaw<{ target_id: string; actor_id: string; metadata: Record<string, unknown> }[]>`
    SELECT target_id, actor_id, metadata FROM audit_entries
    WHERE action = 'delivery.replay'
      AND (${where.targetId ?? null}::text IS NULL OR target_id = ${where.targetId ?? null})
      AND (${where.jobId ?? null}::text IS NULL OR metadata->>'replay_job_id' = ${where.jobId ?? null})`;
  return rows;
}

async function expectRefusal(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isDomainError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ids(r: Receiver) {
  return r.requests.map((q) => q.headers["webhook-id"]!);
}

describe("replay one delivery", () => {
  it("makes a new MANUAL_REPLAY attempt with the same webhook-id, recorded as the user's, audited in its transaction", async () => {
    const partner = await createPartner();
    const rx = await receiver((i) => ({ status: i === 0 ? 500 : 200 }));
    await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const eventId = await emit(partner);
    const [first] = await dispatchOnce();
    expect(first).toMatchObject({ success: false, deliveryStatus: "RETRYING" });

    const outcome = await replayDelivery({ deliveryId: first!.deliveryId }, support.actor);
    expect(outcome).toMatchObject({ deliveryId: first!.deliveryId, eventId, attemptNumber: 2, success: true, responseStatus: 200, deliveryStatus: "SUCCEEDED" });
    expect(ids(rx)).toEqual([eventId, eventId]);
    const attempts = await attemptsOf(first!.deliveryId);
    expect(attempts[1]).toMatchObject({ trigger: "MANUAL_REPLAY", triggeredById: support.id, correlationId: support.actor.correlationId });
    const audits = await replayAudits({ targetId: first!.deliveryId });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actor_id).toBe(support.id);
    expect(audits[0]!.metadata).toMatchObject({ attempt_number: 2, success: true, trigger: "MANUAL_REPLAY", status_before: "RETRYING", event_id: eventId });
  });

  it("replays a DEAD delivery (a failed replay leaves it DEAD, a successful one makes it SUCCEEDED)", async () => {
    const partner = await createPartner();
    const rx = await receiver((i) => ({ status: i === 0 ? 503 : 204 }));
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const [deliveryId] = await deadDeliveries(partner, ep.endpoint.id, 1);
    expect(await replayDelivery({ deliveryId: deliveryId! }, opsLead.actor)).toMatchObject({ success: false, attemptNumber: 9, deliveryStatus: "DEAD" });
    expect(await replayDelivery({ deliveryId: deliveryId! }, opsLead.actor)).toMatchObject({ success: true, attemptNumber: 10, deliveryStatus: "SUCCEEDED" });
    const delivery = await getDb().webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId! } });
    expect(delivery).toMatchObject({ status: "SUCCEEDED", nextAttemptAt: null, lockedUntil: null });
  });

  it("refuses bad input, other facilities, roles without the permission and disabled endpoints, changing nothing", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const pool = await createFacilityWithPool({ units: 1 });
    const other = await createFacilityWithPool({ units: 1 });
    const eventId = await emit(partner, pool.facilityId);
    await dispatchOnce();
    const delivery = await getDb().webhookDelivery.findFirstOrThrow({ where: { eventId } });
    const before = { requests: rx.requests.length, attempts: (await attemptsOf(delivery.id)).length };

    await expectRefusal(replayDelivery({ deliveryId: "nope" }, opsLead.actor), "VALIDATION_FAILED");
    await expectRefusal(replayDelivery({ deliveryId: delivery.id, extra: 1 } as never, opsLead.actor), "VALIDATION_FAILED");
    await expectRefusal(replayDelivery({ deliveryId: "msg_00000000000000000000000000" }, opsLead.actor), "NOT_FOUND");
    const manager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [other.facilityId] });
    await expectRefusal(replayDelivery({ deliveryId: delivery.id }, manager.actor), "FORBIDDEN");
    // a user who may replay but only sees another facility: not found
    const scoped: Actor = { ...support.actor, facilityIds: [other.facilityId] };
    await expectRefusal(replayDelivery({ deliveryId: delivery.id }, scoped), "NOT_FOUND");
    await expectRefusal(replayDelivery({ deliveryId: delivery.id }, partner.actor), "FORBIDDEN");
    await disableWebhookEndpoint(ep.endpoint.id, { reason: "partner maintenance" }, opsLead.actor);
    await expectRefusal(replayDelivery({ deliveryId: delivery.id }, opsLead.actor), "CONFLICT");

    expect(rx.requests.length).toBe(before.requests);
    expect((await attemptsOf(delivery.id)).length).toBe(before.attempts);
    expect(await replayAudits({ targetId: delivery.id })).toHaveLength(0);
  });
});

describe("replay an event", () => {
  it("attempts every delivery of the event, skipping a disabled endpoint", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    await createWebhookEndpoint({ url: `${rx.url}?ep=1` }, partner.actor);
    await createWebhookEndpoint({ url: `${rx.url}?ep=2` }, partner.actor);
    const off = await createWebhookEndpoint({ url: `${rx.url}?ep=3` }, partner.actor);
    const eventId = await emit(partner);
    await dispatchOnce();
    await disableWebhookEndpoint(off.endpoint.id, { reason: "test" }, opsLead.actor);
    const sent = rx.requests.length;

    await expectRefusal(replayEvent({ eventId }, support.actor), "FORBIDDEN");
    const result = await replayEvent({ eventId }, opsLead.actor);
    expect(result).toMatchObject({ eventId, attempted: 2, succeeded: 2, skipped: 1 });
    expect(result.items.find((i) => i.kind === "skipped")).toMatchObject({ endpointId: off.endpoint.id, reason: "endpoint_disabled" });
    expect(ids(rx).slice(sent)).toEqual([eventId, eventId]);
    const audits = await getDb().auditEntry.count({ where: { action: "delivery.replay", metadata: { path: ["event_id"], equals: eventId } } });
    expect(audits).toBe(2);
    await expectRefusal(replayEvent({ eventId: "evt_00000000000000000000000000" }, opsLead.actor), "NOT_FOUND");
  });
});

describe("bulk replay", () => {
  let worker: RunningWorker | null = null;
  const start = async () => {
    worker = await startWorker({ databaseUrl: process.env.DATABASE_URL!, concurrency: 2, webhooks: false, log: pino({ level: process.env.DEBUG_WORKER ? "debug" : "silent" }) });
  };
  const stop = async () => {
    await worker?.stop();
    worker = null;
  };
  afterAll(stop);

  it("replays 1,000 dead-lettered deliveries: preview count = replayed count, each audited, each request verifiable", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const deliveries = await deadDeliveries(partner, ep.endpoint.id, 1000);
    const filter = { endpointId: ep.endpoint.id, status: ["DEAD" as const] };

    const preview = await previewReplay(filter, opsLead.actor);
    expect(preview).toEqual({ count: 1000, disabledEndpoint: 0 });
    await expectRefusal(startBulkReplay({ filter, expectedCount: 999 }, opsLead.actor), "CONFLICT");
    await expectRefusal(startBulkReplay({ filter, ratePerSecond: 0 }, opsLead.actor), "VALIDATION_FAILED");
    await expectRefusal(startBulkReplay({ filter: { status: ["NOPE"] } } as never, opsLead.actor), "VALIDATION_FAILED");
    await expectRefusal(startBulkReplay({ filter }, support.actor), "FORBIDDEN");
    expect(await getDb().replayJob.count()).toBe(0);

    const job = await startBulkReplay({ filter, ratePerSecond: 500, expectedCount: preview.count }, opsLead.actor);
    expect(job).toMatchObject({ status: "PENDING", total: 1000, processed: 0, ratePerSecond: 500, requestedBy: { id: opsLead.id } });
    const started = Date.now();
    await start();
    await waitFor(async () => (await getReplayJob({ jobId: job.id }, opsLead.actor)).status === "COMPLETED", 60_000, "the replay to complete");
    const seconds = (Date.now() - started) / 1000;
    await stop();

    const done = await getReplayJob({ jobId: job.id }, opsLead.actor);
    expect(done).toMatchObject({ total: 1000, processed: 1000, succeeded: 1000, failed: 0, skipped: 0, etaSeconds: null });
    expect(rx.requests).toHaveLength(1000);
    expect(new Set(ids(rx)).size).toBe(1000);
    const verifier = new Webhook(ep.secret);
    for (const request of rx.requests.slice(0, 50)) expect(() => verifier.verify(request.body, request.headers)).not.toThrow();
    const attempts = await getDb().webhookAttempt.groupBy({
      by: ["deliveryId"],
      where: { deliveryId: { in: deliveries }, trigger: "BULK_REPLAY", triggeredById: opsLead.id },
      _count: true,
    });
    expect(attempts).toHaveLength(1000);
    expect(attempts.filter((a) => a._count !== 1)).toEqual([]);
    const audits = await replayAudits({ jobId: job.id });
    expect(audits).toHaveLength(1000);
    expect(new Set(audits.map((a) => a.target_id))).toEqual(new Set(deliveries));
    expect(audits.filter((a) => a.actor_id !== opsLead.id || a.metadata.trigger !== "BULK_REPLAY")).toEqual([]);
    expect(await getDb().webhookDelivery.count({ where: { id: { in: deliveries }, status: "SUCCEEDED" } })).toBe(1000);
    expect((await listReplayJobs({}, opsLead.actor)).map((j) => j.id)).toContain(job.id);
    console.log(`bulk replay: 1000 deliveries in ${seconds.toFixed(1)} s (cap 500/s)`);
  });

  it("a cancelled bulk replay stops: no attempt after it noticed, processed < total, CANCELLED", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const deliveries = await deadDeliveries(partner, ep.endpoint.id, 200);
    const job = await startBulkReplay({ filter: { endpointId: ep.endpoint.id }, ratePerSecond: 25 }, opsLead.actor);
    await start();
    try {
      await waitFor(async () => rx.requests.length >= 20, 30_000, "some replays");
      const cancelled = await cancelReplayJob({ jobId: job.id }, opsLead.actor);
      expect(cancelled).toMatchObject({ status: "CANCELLED", cancelledBy: { id: opsLead.id } });
      await waitFor(async () => (await getReplayJob({ jobId: job.id }, opsLead.actor)).finishedAt !== null, 10_000, "the runner to stop");
      const afterStop = await getDb().webhookAttempt.count({ where: { deliveryId: { in: deliveries } } });
      await new Promise((r) => setTimeout(r, 1500));
      expect(await getDb().webhookAttempt.count({ where: { deliveryId: { in: deliveries } } })).toBe(afterStop);
      expect(rx.requests.length).toBe(afterStop);
      const final = await getReplayJob({ jobId: job.id }, opsLead.actor);
      expect(final.status).toBe("CANCELLED");
      expect(final.processed).toBeLessThan(200);
      expect(final.processed).toBe(afterStop);
      expect(await replayAudits({ jobId: job.id })).toHaveLength(afterStop);
      await expectRefusal(cancelReplayJob({ jobId: job.id }, opsLead.actor), "CONFLICT");
      expect(await getDb().auditEntry.count({ where: { action: "replay_job.cancel", targetId: job.id } })).toBe(1);
    } finally {
      await stop();
    }
  });

  it("resumes after the worker is stopped mid-way, sending nothing twice", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const deliveries = await deadDeliveries(partner, ep.endpoint.id, 200);
    const job = await startBulkReplay({ filter: { endpointId: ep.endpoint.id, status: ["DEAD"] }, ratePerSecond: 25 }, opsLead.actor);
    await start();
    await waitFor(async () => rx.requests.length >= 10, 30_000, "some replays");
    await stop();
    const midway = await getReplayJob({ jobId: job.id }, opsLead.actor);
    expect(midway.status).toBe("RUNNING");
    expect(midway.processed).toBeLessThan(200);
    const sentBefore = rx.requests.length;
    expect(sentBefore).toBeLessThan(200);

    await start();
    await waitFor(async () => (await getReplayJob({ jobId: job.id }, opsLead.actor)).status === "COMPLETED", 60_000, "the resumed replay");
    await stop();
    expect(rx.requests).toHaveLength(200);
    expect(new Set(ids(rx)).size).toBe(200);
    const counts = await getDb().webhookAttempt.groupBy({ by: ["deliveryId"], where: { deliveryId: { in: deliveries } }, _count: true });
    expect(counts.filter((c) => c._count !== 1)).toEqual([]);
    expect(await getReplayJob({ jobId: job.id }, opsLead.actor)).toMatchObject({ processed: 200, succeeded: 200 });
  });

  it("resumes after its worker process is killed (kill -9): the watchdog hands it on, nothing recorded twice", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const deliveries = await deadDeliveries(partner, ep.endpoint.id, 150);
    const job = await startBulkReplay({ filter: { endpointId: ep.endpoint.id }, ratePerSecond: 25 }, opsLead.actor);

    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/start-worker.ts")], {
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        DATABASE_URL: process.env.DATABASE_URL,
        HOLDFAST_DEMO: "0",
        HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
        HOLDFAST_WEBHOOK_DISPATCH: "0",
        // any free port: test files (and other checkouts) run workers side by side
        HOLDFAST_WORKER_METRICS_PORT: "0",
        // the killed runner's leases lapse after 3 s (its unrecorded attempts are then sent again)
        HOLDFAST_WEBHOOK_TIMEOUT_MS: "2000",
        HOLDFAST_WEBHOOK_LEASE_MS: "3000",
        NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
        HOLDFAST_ENCRYPTION_KEY: process.env.HOLDFAST_ENCRYPTION_KEY,
        PAYMENT_WEBHOOK_SECRET: process.env.PAYMENT_WEBHOOK_SECRET,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitFor(async () => rx.requests.length >= 20, 45_000, `the worker process to replay (${stderr.slice(-500)})`);
    } finally {
      child.kill("SIGKILL");
    }
    await new Promise((r) => child.once("exit", r));
    const killedAt = rx.requests.length;
    const recordedAtKill = new Set((await replayAudits({ jobId: job.id })).map((a) => a.target_id));
    const midway = await getReplayJob({ jobId: job.id }, opsLead.actor);
    expect(midway.status).toBe("RUNNING");
    expect(killedAt).toBeLessThan(150);

    // Not stale yet: nothing handed over. Stale: handed to a new run once.
    expect(await recoverStalledReplayJobs({ staleAfterMs: 60_000 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 1200));
    expect(await recoverStalledReplayJobs({ staleAfterMs: 1000 })).toEqual([job.id]);
    expect(await recoverStalledReplayJobs({ staleAfterMs: 1000 })).toEqual([]);
    await start();
    try {
      await waitFor(async () => (await getReplayJob({ jobId: job.id }, opsLead.actor)).status === "COMPLETED", 60_000, "the handed-over replay");
    } finally {
      await stop();
    }
    // Each delivery has exactly one recorded replay attempt (and one audit entry); only a
    // request whose outcome died with the process was sent again (same webhook-id).
    const counts = await getDb().webhookAttempt.groupBy({ by: ["deliveryId"], where: { deliveryId: { in: deliveries } }, _count: true });
    expect(counts).toHaveLength(150);
    expect(counts.filter((c) => c._count !== 1)).toEqual([]);
    expect(await replayAudits({ jobId: job.id })).toHaveLength(150);
    expect(new Set(ids(rx)).size).toBe(150);
    const eventOf = new Map(
      (await getDb().webhookDelivery.findMany({ where: { id: { in: deliveries } }, select: { id: true, eventId: true } })).map((d) => [d.eventId, d.id]),
    );
    const seen = new Set<string>();
    const resent = ids(rx).filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
    expect(resent.length).toBeLessThanOrEqual(killedAt - recordedAtKill.size);
    expect(resent.filter((webhookId) => recordedAtKill.has(eventOf.get(webhookId)!))).toEqual([]);
    console.log(`kill -9 mid-replay: ${killedAt} sent, ${recordedAtKill.size} recorded at the kill, ${resent.length} sent again`);
    expect(await getReplayJob({ jobId: job.id }, opsLead.actor)).toMatchObject({ processed: 150, succeeded: 150 });
  });

  it("resumes an interrupted run in-process too (abort mid-batch), and respects the rate cap", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const now = Date.now();
    await deadDeliveries(partner, ep.endpoint.id, 20, new Date(now - 3_600_000));
    await deadDeliveries(partner, ep.endpoint.id, 5, new Date(now - 7 * 3_600_000)); // outside the window
    const window = { endpointId: ep.endpoint.id, from: new Date(now - 2 * 3_600_000), to: new Date(now) };
    const job = await replayWindow({ ...window, ratePerSecond: 10 }, opsLead.actor);
    expect(job.total).toBe(20);
    expect(job.filter).toEqual({ endpointId: ep.endpoint.id, status: ["RETRYING", "DEAD"], from: window.from, to: window.to });

    const abort = new AbortController();
    setTimeout(() => abort.abort(), 550);
    const first = await runReplayJob(job.id, { signal: abort.signal });
    expect(first.outcome).toBe("interrupted");
    expect(rx.requests.length).toBeGreaterThan(0);
    expect(rx.requests.length).toBeLessThan(20);
    const second = await runReplayJob(job.id);
    expect(second).toMatchObject({ outcome: "completed", processed: 20 });
    expect(rx.requests).toHaveLength(20);
    expect(new Set(ids(rx)).size).toBe(20);
    // 10/s: the second run's requests are at least 100 ms apart on average
    const times = rx.requests.map((r) => r.at).slice(-12);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(11 * 100 * 0.9);
  });

  it("keeps a 10/s cap: 20 deliveries take about two seconds", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    await deadDeliveries(partner, ep.endpoint.id, 20);
    const job = await startBulkReplay({ filter: { endpointId: ep.endpoint.id }, ratePerSecond: 10 }, opsLead.actor);
    const started = Date.now();
    expect(await runReplayJob(job.id)).toMatchObject({ outcome: "completed", processed: 20 });
    const elapsed = Date.now() - started;
    expect(rx.requests).toHaveLength(20);
    expect(rx.requests.at(-1)!.at - rx.requests[0]!.at).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(10_000);
  });
});

describe("test ping", () => {
  it("sends a signed test message the standardwebhooks library verifies, stores it and audits it", async () => {
    const partner = await createPartner();
    const rx = await receiver();
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const events = await getDb().event.count();

    const ping = await sendTestPing({ endpointId: ep.endpoint.id }, opsLead.actor);
    expect(ping).toMatchObject({ endpointId: ep.endpoint.id, success: true, responseStatus: 204, signedWith: ["secret_v1"] });
    const [request] = rx.requests;
    expect(request!.headers["webhook-id"]).toBe(ping.id);
    const body = new Webhook(ep.secret).verify(request!.body, request!.headers) as { type: string; data: { endpoint_id: string } };
    expect(body).toMatchObject({ type: "webhook.test", data: { endpoint_id: ep.endpoint.id } });
    expect(() => new Webhook(ep.secret).verify(request!.body.replace("test", "tset"), request!.headers)).toThrow();
    expect(JSON.stringify(ping.requestHeaders)).not.toContain(request!.headers["webhook-signature"]);

    const [listed] = await listTestPings({ endpointId: ep.endpoint.id }, support.actor);
    expect(listed).toMatchObject({ id: ping.id, success: true, requestedBy: { id: opsLead.id } });
    expect(await getDb().auditEntry.count({ where: { action: "endpoint.test", targetId: ep.endpoint.id, actorId: opsLead.id } })).toBe(1);
    // not an event: the outbox and the feed are untouched; no delivery
    expect(await getDb().event.count()).toBe(events);
    expect(await getDb().webhookDelivery.count({ where: { endpointId: ep.endpoint.id } })).toBe(0);

    await expectRefusal(sendTestPing({ endpointId: ep.endpoint.id }, support.actor), "FORBIDDEN");
    await expectRefusal(sendTestPing({ endpointId: "ep_bad" }, opsLead.actor), "VALIDATION_FAILED");
    expect(rx.requests).toHaveLength(1);
  });

  it("records a failing ping with its failure class", async () => {
    const partner = await createPartner();
    const rx = await receiver(() => ({ status: 500, body: "down for maintenance" }));
    const ep = await createWebhookEndpoint({ url: rx.url }, partner.actor);
    const ping = await sendTestPing({ endpointId: ep.endpoint.id }, opsLead.actor);
    expect(ping).toMatchObject({ success: false, responseStatus: 500, failureClass: "HTTP_5XX", responseBody: "down for maintenance" });
    const endpoint = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: ep.endpoint.id } });
    expect(endpoint.consecutiveFailures).toBe(0);
  });
});
