import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createConsoleUser, createPartner, useOwnDatabase, type TestPartner, type TestUser } from "../../../test/factories";
import { createTestEndpoint } from "../../../test/delivery-factory";
import { startReceiver, type Receiver, type ReceivedWebhook } from "../../../test/webhook-receiver";
import { getDb } from "../../db";
import { startWorker } from "../../worker/run-worker";
import { installWorkerSchema } from "../../worker/worker-schema";
import pino from "pino";
import { acknowledgeIncident } from "../incidents/acknowledge-incident";
import { evaluateAlerts } from "../incidents/evaluate-alerts";
import { systemActor } from "@/server/domain/shared/actor";
import { JOBS } from "@/server/domain/shared/jobs";
import type { OperationalMessage } from "@/shared/operational-webhooks";
import { createOperationalEndpoint } from "./create-operational-endpoint";
import { listOperationalDeliveries, listOperationalEndpoints } from "./list-operational-webhooks";
import { sendDueOperationalWebhooks } from "./send-operational-webhooks";
import { sendOperationalTest } from "./send-operational-test";
import { setOperationalEndpointEnabled } from "./set-operational-endpoint-enabled";

// Incident evaluation sweeps every row, and the sending job every due delivery: this file
// has a database of its own. Receivers are real HTTP servers on loopback; signatures are
// checked with the standardwebhooks package, as an operator's endpoint would.
let dropDatabase: () => Promise<void>;
let partner: TestPartner;
let admin: TestUser;
let opsLead: TestUser;
const receivers: Receiver[] = [];
const system = (job = "evaluate_alerts") => systemActor(job, `cor_test_${crypto.randomUUID()}`);
const send = (options: Parameters<typeof sendDueOperationalWebhooks>[1] = {}) =>
  sendDueOperationalWebhooks(system(JOBS.sendOperationalWebhooks), { timeoutMs: 2000, random: () => 0.5, ...options });

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("opshooks");
  await installWorkerSchema(process.env.DATABASE_URL!);
  partner = await createPartner();
  admin = await createConsoleUser({ role: "ADMIN" });
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
}, 120_000);
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await dropDatabase();
});

async function receiver(answer?: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

/** Verifies like a consumer: throws on a bad signature or stale timestamp. */
function verified(secret: string, request: ReceivedWebhook): OperationalMessage {
  return new Webhook(secret).verify(request.body, request.headers) as OperationalMessage;
}

/** Each test leaves no endpoint listening and nothing to send behind for the next. */
async function drain(): Promise<void> {
  await getDb().$executeRaw`UPDATE operational_webhook_endpoints SET enabled = false`;
  await getDb().$executeRaw`UPDATE operational_webhook_deliveries SET status = 'DEAD', next_attempt_at = NULL WHERE status IN ('PENDING', 'RETRYING')`;
}

async function pendingJobs(): Promise<number> {
  const [row] = await getDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${JOBS.sendOperationalWebhooks}`;
  return row!.n;
}

describe("operational webhooks", () => {
  afterEach(drain);

  it("tells a verifying receiver of every incident state change, exactly once each, enqueued with the change", async () => {
    const hook = await receiver();
    const { endpoint, secret } = await createOperationalEndpoint({ url: hook.url, description: "pager bridge" }, admin.actor);
    expect(secret).toMatch(/^whsec_/);
    const stored = await getDb().operationalWebhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(stored.secretCiphertext).not.toContain(secret.slice(6, 20));

    const epId = await createTestEndpoint(partner.id);
    const setFailures = (n: number) => getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = ${n}, failing_since = now() WHERE id = ${epId}`;
    const incidentOf = async () => (await getDb().incident.findFirstOrThrow({ where: { rule: "endpoint_failing", subjectId: epId } })).id;

    const jobsBefore = await pendingJobs();
    await setFailures(6);
    await evaluateAlerts(system()); // triggered
    // enqueued in the evaluation's transaction: a delivery and a wake-up for the job
    expect(await getDb().operationalWebhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
    expect(await pendingJobs()).toBeGreaterThan(jobsBefore);
    await evaluateAlerts(system()); // no change: nothing more
    expect(await getDb().operationalWebhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);

    const incidentId = await incidentOf();
    await acknowledgeIncident({ incidentId, note: "on it" }, opsLead.actor); // acknowledged
    await setFailures(60);
    await evaluateAlerts(system()); // escalated
    await setFailures(6);
    await evaluateAlerts(system()); // downgraded
    await setFailures(0);
    await evaluateAlerts(system()); // resolved
    await setFailures(5);
    await evaluateAlerts(system()); // reopened

    const first = await send();
    const again = await send();
    expect(first.attempts.map((a) => a.deliveryStatus)).toEqual(Array(6).fill("SUCCEEDED"));
    expect(again.attempts).toEqual([]);

    const messages = hook.requests.map((r) => verified(secret, r));
    expect(messages.map((m) => m.type).sort()).toEqual(
      ["incident.acknowledged", "incident.downgraded", "incident.escalated", "incident.reopened", "incident.resolved", "incident.triggered"],
    );
    // one message per change: distinct webhook-ids and distinct changes
    expect(new Set(hook.requests.map((r) => r.headers["webhook-id"])).size).toBe(6);
    expect(new Set(messages.map((m) => m.data.change_id)).size).toBe(6);
    const byType = new Map(messages.map((m) => [m.type, m.data]));
    expect(byType.get("incident.triggered")).toMatchObject({
      incident_id: incidentId,
      rule: "endpoint_failing",
      rule_title: "Endpoint failing",
      severity: "HIGH",
      subject: { type: "endpoint", id: epId },
      runbook: "docs/operations.md#endpoint-failing-or-auto-disabled",
    });
    expect(byType.get("incident.triggered")!.console_url).toMatch(new RegExp(`/incidents/${incidentId}$`));
    expect(byType.get("incident.triggered")!.subject_url).toMatch(new RegExp(`/webhooks/endpoints/${epId}$`));
    expect(byType.get("incident.acknowledged")).toMatchObject({ note: "on it", changed_by: opsLead.actor.label });
    expect(byType.get("incident.escalated")).toMatchObject({ severity: "CRITICAL", previous_severity: "HIGH" });
    expect(byType.get("incident.downgraded")).toMatchObject({ severity: "HIGH", previous_severity: "CRITICAL" });

    // every attempt is logged, its signature shortened
    const log = await listOperationalDeliveries({ endpointId: endpoint.id }, admin.actor);
    expect(log.map((d) => [d.status, d.attempts.map((a) => [a.trigger, a.responseStatus])])).toEqual(
      Array(6).fill(["SUCCEEDED", [["SCHEDULED", 204]]]),
    );
    const attempt = await getDb().operationalWebhookAttempt.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect((attempt.requestHeaders as Record<string, string>)["webhook-signature"]).toMatch(/^v1,.{6}…$/);
  });

  it("is sent by a real worker: the job the evaluation enqueued delivers the signed message, without anyone calling the sender", async () => {
    const hook = await receiver();
    const { secret } = await createOperationalEndpoint({ url: hook.url, description: "worker path" }, admin.actor);
    const epId = await createTestEndpoint(partner.id);
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 6, failing_since = now() WHERE id = ${epId}`;
    const worker = await startWorker({ databaseUrl: process.env.DATABASE_URL!, concurrency: 2, log: pino({ level: "silent" }) });
    try {
      await evaluateAlerts(system()); // triggered, its delivery and the job's wake-up in one transaction
      const deadline = Date.now() + 30_000;
      while (hook.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(hook.requests).toHaveLength(1);
      const message = verified(secret, hook.requests[0]!);
      expect(message.type).toBe("incident.triggered");
      expect(message.data).toMatchObject({ rule: "endpoint_failing", subject: { type: "endpoint", id: epId } });
    } finally {
      await worker.stop();
      await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL WHERE id = ${epId}`;
      await evaluateAlerts(system());
    }
  }, 90_000);

  it("retries a receiver that answers 500 then 200, logging both attempts; a disabled or too-low-severity endpoint is told nothing", async () => {
    const flaky = await receiver((_r, i) => ({ status: i === 0 ? 500 : 200 }));
    const { endpoint, secret } = await createOperationalEndpoint({ url: flaky.url }, admin.actor);
    const quiet = await receiver();
    const critical = await createOperationalEndpoint({ url: quiet.url, minSeverity: "CRITICAL" }, admin.actor);
    const off = await createOperationalEndpoint({ url: quiet.url }, admin.actor);
    await setOperationalEndpointEnabled({ endpointId: off.endpoint.id, enabled: false }, admin.actor);

    const epId = await createTestEndpoint(partner.id, { status: "DISABLED" });
    const now = new Date();
    await evaluateAlerts(system(), { now }); // endpoint_disabled: HIGH, triggered

    const firstPass = await send({ now });
    expect(firstPass.attempts).toMatchObject([{ success: false, responseStatus: 500, deliveryStatus: "RETRYING" }]);
    const retryAt = firstPass.attempts[0]!.nextAttemptAt!;
    // the partner schedule's second step (5 s, jitter fixed) after the attempt finished
    expect(retryAt.getTime() - now.getTime() - firstPass.attempts[0]!.durationMs).toBe(5000);
    expect(firstPass.nextDueAt).toEqual(retryAt);
    expect((await send({ now: new Date(retryAt.getTime() - 1) })).attempts).toEqual([]); // not yet due

    const secondPass = await send({ now: retryAt });
    expect(secondPass.attempts).toMatchObject([{ success: true, responseStatus: 200, deliveryStatus: "SUCCEEDED", attemptNumber: 2 }]);
    expect(flaky.requests).toHaveLength(2);
    // the same message both times: same webhook-id and body, each signed afresh
    expect(flaky.requests[1]!.headers["webhook-id"]).toBe(flaky.requests[0]!.headers["webhook-id"]);
    expect(flaky.requests[1]!.body).toBe(flaky.requests[0]!.body);
    expect(verified(secret, flaky.requests[1]!).data.subject.id).toBe(epId);

    const [delivery] = await listOperationalDeliveries({ endpointId: endpoint.id }, admin.actor);
    expect(delivery!.attempts.map((a) => [a.attemptNumber, a.trigger, a.responseStatus, a.failureClass])).toEqual([
      [1, "SCHEDULED", 500, "HTTP_5XX"],
      [2, "RETRY", 200, null],
    ]);
    expect(quiet.requests).toEqual([]);
    expect(await getDb().operationalWebhookDelivery.count({ where: { endpointId: { in: [critical.endpoint.id, off.endpoint.id] } } })).toBe(0);
  });

  it("times out a receiver that never answers, and logs the attempt as TIMEOUT", async () => {
    const hanging = await receiver(() => ({ hang: true }));
    const { endpoint } = await createOperationalEndpoint({ url: hanging.url }, admin.actor);
    await createTestEndpoint(partner.id, { status: "DISABLED" });
    const now = new Date();
    await evaluateAlerts(system(), { now });
    const started = Date.now();
    const pass = await send({ now, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(pass.attempts).toMatchObject([{ success: false, failureClass: "TIMEOUT", deliveryStatus: "RETRYING", responseStatus: null }]);
    const [delivery] = await listOperationalDeliveries({ endpointId: endpoint.id }, admin.actor);
    expect(delivery!.attempts).toMatchObject([{ failureClass: "TIMEOUT", responseStatus: null }]);
    expect(delivery!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(250);
  });

  it("a test message is signed, sent once, logged and audited; only admins manage endpoints, and refusals change nothing", async () => {
    const hook = await receiver();
    const { endpoint, secret } = await createOperationalEndpoint({ url: hook.url }, admin.actor);
    const result = await sendOperationalTest({ endpointId: endpoint.id }, admin.actor, { timeoutMs: 2000 });
    expect(result).toMatchObject({ success: true, responseStatus: 204, deliveryStatus: "SUCCEEDED" });
    expect(verified(secret, hook.requests[0]!)).toMatchObject({ type: "webhook.test", data: { endpoint_id: endpoint.id } });
    const [delivery] = await listOperationalDeliveries({ endpointId: endpoint.id }, admin.actor);
    expect(delivery).toMatchObject({ eventType: "webhook.test", attempts: [{ trigger: "TEST", responseStatus: 204 }] });

    const before = await getDb().operationalWebhookEndpoint.count();
    await expect(createOperationalEndpoint({ url: hook.url }, opsLead.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(setOperationalEndpointEnabled({ endpointId: endpoint.id, enabled: false }, opsLead.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(listOperationalEndpoints(opsLead.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createOperationalEndpoint({ url: "http://10.0.0.8/hook" }, admin.actor)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    await expect(createOperationalEndpoint({ url: hook.url, eventTypes: ["booking.confirmed"] } as never, admin.actor)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(await getDb().operationalWebhookEndpoint.count()).toBe(before);
    expect((await getDb().operationalWebhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).enabled).toBe(true);

    const audit = await getDb().auditEntry.findMany({ where: { targetId: endpoint.id }, orderBy: { id: "asc" }, select: { action: true, result: true } });
    expect(audit).toEqual([
      { action: "operational_webhook.create", result: "SUCCESS" },
      { action: "operational_webhook.test", result: "SUCCESS" },
    ]);
    const denied = await getDb().auditEntry.findMany({ where: { actorId: opsLead.actor.id, result: "DENIED" }, select: { action: true, result: true } });
    expect(denied).toEqual(Array(3).fill({ action: "admin.manage", result: "DENIED" }));
  });
});
