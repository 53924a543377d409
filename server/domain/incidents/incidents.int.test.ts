import crypto from "node:crypto";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleUser, createFacilityWithPool, createPartner, holdInput, useOwnDatabase, type TestPartner, type TestUser } from "../../../test/factories";
import { createTestDelivery, createTestEndpoint } from "../../../test/delivery-factory";
import { startReceiver, type ReceiverAnswer } from "../../../test/webhook-receiver";
import { configure } from "../../config";
import { getDb } from "../../db";
import { systemActor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { newId } from "@/server/domain/shared/ids";
import { ALERT_RULES, ALERT_RULE_NAMES, type AlertRuleName } from "@/shared/alert-rules";
import { readMetricsSnapshot } from "../ops/metrics-snapshot";
import { createHold } from "../bookings/create-hold";
import { acknowledgeIncident } from "./acknowledge-incident";
import { evaluateAlerts } from "./evaluate-alerts";
import { listIncidents } from "./list-incidents";
import { listCaughtMail } from "./list-caught-mail";
import { catcherMailer, smtpMailer } from "./mail-transport";
import { notifyIncidents } from "./notify-incidents";
import { notifyPartnerContacts } from "./notify-partner-contacts";

// Evaluation sweeps every row: this file has a database of its own. Each rule's condition
// is made and cleared with raw SQL (the simulated outage), then evaluated as the worker does.
let dropDatabase: () => Promise<void>;
let partner: TestPartner;
let opsLead: TestUser;
const system = () => systemActor("evaluate_alerts", `cor_test_${crypto.randomUUID()}`);
const evaluate = () => evaluateAlerts(system());

// A real SMTP server on loopback: every notification test reads what it received.
let smtp: SMTPServer;
let smtpPort: number;
const received: ParsedMail[] = [];
const recipientOf = (m: ParsedMail) => (m.to && !Array.isArray(m.to) ? m.to.text : null);

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("incidents");
  partner = await createPartner();
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await dropDatabase();
});

async function incidentsOf(rule: AlertRuleName, subjectId?: string) {
  return getDb().incident.findMany({ where: { rule, ...(subjectId ? { subjectId } : {}) }, include: { timeline: { orderBy: { id: "asc" } } } });
}

/** A finished run that is the newest (every earlier one moved an hour back). */
// A second in the past: the rule reads runs started at or before the evaluation's clock, and
// a run stamped in the same millisecond (rounded up to it) could be after it.
async function newestRun(status: "FAILED" | "SUCCEEDED"): Promise<void> {
  await getDb().$executeRaw`UPDATE reconciliation_runs SET started_at = started_at - interval '1 hour'`;
  await getDb().$executeRaw`INSERT INTO reconciliation_runs (id, trigger, status, error, started_at, finished_at)
    VALUES (${newId("rec")}, 'SCHEDULED', ${status}::"RunStatus", ${status === "FAILED" ? "test failure" : null}, now() - interval '1 second', now() - interval '1 second')`;
}

interface RuleCase {
  rule: AlertRuleName;
  /** makes the condition hold; returns the subject id */
  make: () => Promise<string>;
  clear: (subjectId: string) => Promise<void>;
  again: (subjectId: string) => Promise<void>;
}

const CASES: RuleCase[] = [
  {
    rule: "endpoint_failing",
    make: async () => {
      const id = await createTestEndpoint(partner.id);
      await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 6, failing_since = now() WHERE id = ${id}`;
      return id;
    },
    clear: async (id) => void (await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ${id}`),
    again: async (id) => void (await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 4 WHERE id = ${id}`),
  },
  {
    rule: "endpoint_disabled",
    make: () => createTestEndpoint(partner.id, { status: "DISABLED" }),
    clear: async (id) => void (await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'ACTIVE' WHERE id = ${id}`),
    again: async (id) => void (await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'DISABLED' WHERE id = ${id}`),
  },
  {
    rule: "endpoint_failure_rate",
    // Ten deliveries in the last hour whose first scheduled attempt failed (each got
    // through on its retry, so nothing else is wrong with the endpoint).
    make: async () => {
      const id = await createTestEndpoint(partner.id);
      for (let i = 0; i < 10; i++) {
        await createTestDelivery({ endpointId: id, status: "SUCCEEDED", createdAt: new Date(Date.now() - 20 * 60_000), attempts: [{ status: 500 }, { status: 200 }] });
      }
      return id;
    },
    // The window moves on: the attempts are two hours old.
    clear: async (id) => void (await getDb().$executeRaw`UPDATE webhook_attempts SET started_at = started_at - interval '2 hours' WHERE endpoint_id = ${id}`),
    again: async (id) => void (await getDb().$executeRaw`UPDATE webhook_attempts SET started_at = started_at + interval '2 hours' WHERE endpoint_id = ${id}`),
  },
  {
    rule: "dead_letters",
    make: async () => {
      const id = await createTestEndpoint(partner.id);
      await createTestDelivery({ endpointId: id, status: "DEAD", attempts: [{ status: 500 }, { status: 500 }] });
      return id;
    },
    // Replayed and delivered.
    clear: async (id) => void (await getDb().$executeRaw`UPDATE webhook_deliveries SET status = 'SUCCEEDED', succeeded_at = now() WHERE endpoint_id = ${id}`),
    again: async (id) => void (await getDb().$executeRaw`UPDATE webhook_deliveries SET status = 'DEAD', dead_at = now() WHERE endpoint_id = ${id}`),
  },
  {
    rule: "delivery_backlog",
    make: async () => {
      const id = await createTestEndpoint(partner.id);
      await createTestDelivery({ endpointId: id, status: "PENDING", createdAt: new Date(Date.now() - 20 * 60_000) });
      return id;
    },
    clear: async (id) => void (await getDb().$executeRaw`UPDATE webhook_deliveries SET status = 'SUCCEEDED', succeeded_at = now() WHERE endpoint_id = ${id}`),
    again: async (id) => void (await getDb().$executeRaw`UPDATE webhook_deliveries SET status = 'RETRYING' WHERE endpoint_id = ${id}`),
  },
  {
    rule: "holds_past_expiry",
    // A real hold whose expiry passed ten minutes ago without the expiry job releasing it.
    make: async () => {
      const pool = await createFacilityWithPool();
      await createHold(holdInput(pool), partner.actor);
      await getDb().$executeRaw`UPDATE bookings SET hold_expires_at = now() - interval '10 minutes' WHERE facility_id = ${pool.facilityId}::uuid`;
      return pool.facilityId;
    },
    // Only its expiry moved out of the past: the rule reads TENTATIVE holds by expiry.
    clear: async (facilityId) => void (await getDb().$executeRaw`UPDATE bookings SET hold_expires_at = now() + interval '10 minutes' WHERE facility_id = ${facilityId}::uuid`),
    again: async (facilityId) => void (await getDb().$executeRaw`UPDATE bookings SET hold_expires_at = now() - interval '10 minutes' WHERE facility_id = ${facilityId}::uuid`),
  },
  {
    rule: "inventory_sync_lag",
    // A partner of its own: ten inventory changes delivered within a second, two still
    // retrying after ten minutes — more than 5 %, so the p95 is ten minutes.
    make: async () => {
      const own = await createPartner();
      const id = await createTestEndpoint(own.id);
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      for (let i = 0; i < 10; i++) await createTestDelivery({ endpointId: id, type: "inventory.updated", status: "SUCCEEDED", createdAt: tenMinutesAgo, attempts: [{ status: 200 }] });
      for (let i = 0; i < 2; i++) await createTestDelivery({ endpointId: id, type: "inventory.updated", status: "RETRYING", createdAt: tenMinutesAgo, attempts: [{ status: 500 }] });
      return own.id;
    },
    // Everything delivered, and the window has moved past it.
    clear: async (partnerId) =>
      void (await getDb().$executeRaw`UPDATE webhook_deliveries d SET status = 'SUCCEEDED', succeeded_at = now() - interval '2 hours'
        FROM webhook_endpoints ep WHERE ep.id = d.endpoint_id AND ep.partner_id = ${partnerId}::uuid`),
    again: async (partnerId) =>
      void (await getDb().$executeRaw`UPDATE webhook_deliveries d SET status = 'RETRYING', succeeded_at = NULL
        FROM webhook_endpoints ep WHERE ep.id = d.endpoint_id AND ep.partner_id = ${partnerId}::uuid AND d.last_status = 500`),
  },
  {
    rule: "api_refusals_burst",
    make: async () => {
      const own = await createPartner();
      await getDb().apiRequestLog.createMany({
        data: Array.from({ length: 25 }, (_, i) => ({
          partnerId: own.id,
          apiKeyId: own.apiKeyId,
          method: "GET",
          route: "/api/v1/availability",
          status: i < 20 ? 429 : 403,
          code: i < 20 ? "RATE_LIMITED" : "FORBIDDEN",
          durationMs: 3,
          correlationId: `cor_test_${crypto.randomUUID()}`,
        })),
      });
      return own.id;
    },
    clear: async (partnerId) => void (await getDb().$executeRaw`UPDATE api_request_log SET created_at = created_at - interval '10 minutes' WHERE partner_id = ${partnerId}::uuid`),
    again: async (partnerId) => void (await getDb().$executeRaw`UPDATE api_request_log SET created_at = created_at + interval '10 minutes' WHERE partner_id = ${partnerId}::uuid`),
  },
  {
    rule: "drift_open",
    make: async () => {
      const pool = await createFacilityWithPool();
      const runId = newId("rec");
      await getDb().$executeRaw`INSERT INTO reconciliation_runs (id, trigger, status, finished_at) VALUES (${runId}, 'MANUAL', 'SUCCEEDED', now())`;
      await getDb().$executeRaw`
        INSERT INTO discrepancies (run_id, kind, severity, facility_id, summary, expected, actual, fingerprint)
        VALUES (${runId}, 'POOL_COUNTER', 'HIGH', ${pool.facilityId}::uuid, 'test', '{}', '{}', ${`test:${runId}`})`;
      return pool.facilityId;
    },
    clear: async (facilityId) => void (await getDb().$executeRaw`UPDATE discrepancies SET status = 'CORRECTED' WHERE facility_id = ${facilityId}::uuid`),
    again: async (facilityId) => void (await getDb().$executeRaw`UPDATE discrepancies SET status = 'OPEN' WHERE facility_id = ${facilityId}::uuid`),
  },
  {
    rule: "no_worker_heartbeat",
    make: async () => {
      await getDb().$executeRaw`
        INSERT INTO worker_heartbeats (worker_id, hostname, pid, started_at, last_beat_at)
        VALUES ('test-worker', 'test', 1, now() - interval '1 hour', now() - interval '10 minutes')`;
      return "workers";
    },
    clear: async () => void (await getDb().$executeRaw`UPDATE worker_heartbeats SET last_beat_at = now()`),
    again: async () => void (await getDb().$executeRaw`UPDATE worker_heartbeats SET last_beat_at = now() - interval '5 minutes'`),
  },
  {
    rule: "reconciliation_failed",
    make: () => newestRun("FAILED").then(() => "reconciliation"),
    clear: () => newestRun("SUCCEEDED"),
    again: () => newestRun("FAILED"),
  },
  {
    rule: "payment_apply_failed",
    make: async () => {
      await getDb().$executeRaw`INSERT INTO inbound_webhook_events (id, source, status, raw_body, processed_at) VALUES (${`test-${crypto.randomUUID()}`}, 'payments', 'FAILED', '{}', now())`;
      return "payments";
    },
    clear: async () => void (await getDb().$executeRaw`UPDATE inbound_webhook_events SET status = 'PROCESSED' WHERE status = 'FAILED'`),
    again: async () => void (await getDb().$executeRaw`UPDATE inbound_webhook_events SET status = 'FAILED' WHERE status = 'PROCESSED'`),
  },
];

describe("alert rules (docs/operations.md#alerts-and-incidents)", () => {
  // One watcher opted in to every severity: after each step the test asks for
  // notifications (no minimum interval) and reads what the SMTP server received for it.
  let watcher: TestUser;
  beforeAll(async () => {
    watcher = await createConsoleUser({ role: "OPS_LEAD" });
    await getDb().user.update({ where: { id: watcher.id }, data: { incidentEmailMinSeverity: "LOW" } });
  });
  afterAll(async () => {
    await getDb().user.update({ where: { id: watcher.id }, data: { incidentEmailMinSeverity: null } });
  });
  /** Sends what is pending and returns the texts the watcher received from this call. */
  async function told(): Promise<string[]> {
    const before = received.length;
    const mailer = smtpMailer(`smtp://127.0.0.1:${smtpPort}`, "Holdfast <alerts@test.holdfast>");
    await notifyIncidents(system(), { mailer, slackWebhookUrl: null, minIntervalMs: 0, consoleUrl: "http://console.test" });
    return received.slice(before).filter((m) => recipientOf(m) === watcher.email).map((m) => m.text ?? "");
  }
  /** The notification blocks (one per state change) of one message. */
  const blocks = (text: string) => text.split("\n\n").filter((b) => /^[A-Z]+ · /.test(b));

  it("every built-in rule has its case below", () => {
    expect(ALERT_RULE_NAMES.filter((rule) => !CASES.some((c) => c.rule === rule))).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.rule}: fires within one evaluation, stays one incident, auto-resolves when clear and reopens when it returns, notifies once per change`, async () => {
      await told(); // what earlier tests changed is not this rule's news
      const title = ALERT_RULES[c.rule].title;
      const subjectId = await c.make();
      await evaluate();
      const [opened, ...more] = await incidentsOf(c.rule, subjectId);
      expect(more).toEqual([]);
      expect(opened).toMatchObject({ status: "TRIGGERED", subjectId });
      const [triggeredMail, ...moreMail] = await told();
      expect(moreMail).toEqual([]);
      expect(blocks(triggeredMail ?? "").map((b) => b.split("\n")[0])).toEqual([`TRIGGERED · ${opened!.severity} · ${title} — ${opened!.subjectLabel}`]);
      expect(triggeredMail).toContain(`http://console.test/incidents/${opened!.id}`);
      expect(triggeredMail).toContain(`docs/operations.md#${ALERT_RULES[c.rule].runbook}`);

      for (let i = 0; i < 3; i++) await evaluate();
      const afterMany = await incidentsOf(c.rule, subjectId);
      expect(afterMany.map((i) => [i.id, i.status])).toEqual([[opened!.id, "TRIGGERED"]]);
      expect(afterMany[0]!.timeline.map((t) => t.kind)).toEqual(["TRIGGERED"]);
      expect(await told()).toEqual([]);

      await c.clear(subjectId);
      await evaluate();
      const resolved = await incidentsOf(c.rule, subjectId);
      expect(resolved.map((i) => [i.id, i.status])).toEqual([[opened!.id, "RESOLVED"]]);
      expect((await told()).flatMap(blocks).map((b) => b.split(" · ")[0])).toEqual(["RESOLVED"]);
      await evaluate();
      expect(await told()).toEqual([]);

      await c.again(subjectId);
      await evaluate();
      const reopened = await incidentsOf(c.rule, subjectId);
      expect(reopened.map((i) => [i.id, i.status, i.reopenCount])).toEqual([[opened!.id, "TRIGGERED", 1]]);
      expect(reopened[0]!.timeline.map((t) => t.kind)).toEqual(["TRIGGERED", "RESOLVED", "REOPENED"]);
      expect((await told()).flatMap(blocks).map((b) => b.split(" · ")[0])).toEqual(["REOPENED"]);
      await evaluate();
      expect(await told()).toEqual([]);

      const audit = await getDb().auditEntry.findMany({ where: { targetType: "incident", targetId: opened!.id }, orderBy: { id: "asc" } });
      expect(audit.map((a) => a.action)).toEqual(["incident.triggered", "incident.resolved", "incident.reopened"]);
      await c.clear(subjectId);
      await evaluate();
    });
  }

  it("inventory sync lag is a p95: one late change among many on time is not a condition", async () => {
    const own = await createPartner();
    const id = await createTestEndpoint(own.id);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    for (let i = 0; i < 30; i++) await createTestDelivery({ endpointId: id, type: "inventory.updated", status: "SUCCEEDED", createdAt: tenMinutesAgo, attempts: [{ status: 200 }] });
    await createTestDelivery({ endpointId: id, type: "inventory.updated", status: "RETRYING", createdAt: tenMinutesAgo, attempts: [{ status: 500 }] });
    // Other events are not inventory: a stuck booking event is the backlog rule's.
    await createTestDelivery({ endpointId: id, type: "booking.held", status: "RETRYING", createdAt: tenMinutesAgo, attempts: [{ status: 500 }] });
    await evaluate();
    expect(await incidentsOf("inventory_sync_lag", own.id)).toEqual([]);
    await getDb().$executeRaw`UPDATE webhook_deliveries SET status = 'SUCCEEDED', succeeded_at = now() - interval '2 hours' WHERE endpoint_id = ${id}`;
  });

  it("401s name no partner: a burst of them is one incident for unknown keys", async () => {
    await getDb().apiRequestLog.createMany({
      data: Array.from({ length: 30 }, () => ({
        method: "GET",
        route: "/api/v1/availability",
        status: 401,
        code: "UNAUTHENTICATED",
        durationMs: 1,
        correlationId: `cor_test_${crypto.randomUUID()}`,
      })),
    });
    await evaluate();
    const incidents = await incidentsOf("api_refusals_burst", "unknown-keys");
    expect(incidents.map((i) => [i.status, i.partnerId, i.summary])).toEqual([
      ["TRIGGERED", null, "Unknown or revoked API keys: 30 API requests refused in the last 5 minutes (30 × 401)."],
    ]);
    await getDb().$executeRaw`UPDATE api_request_log SET created_at = created_at - interval '10 minutes' WHERE partner_id IS NULL`;
    await evaluate();
  });

  it("escalates when the measured value crosses the rule's escalation point, and downgrades back", async () => {
    const id = await createTestEndpoint(partner.id);
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 5 WHERE id = ${id}`;
    await evaluate();
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 60 WHERE id = ${id}`;
    await evaluate();
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 7 WHERE id = ${id}`;
    await evaluate();
    const [incident] = await incidentsOf("endpoint_failing", id);
    expect(incident!.timeline.map((t) => [t.kind, t.severity])).toEqual([
      ["TRIGGERED", "HIGH"],
      ["ESCALATED", "CRITICAL"],
      ["DOWNGRADED", "HIGH"],
    ]);
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ${id}`;
    await evaluate();
  });

  it("an override raises an endpoint's threshold (and a disabled override silences the rule)", async () => {
    const id = await createTestEndpoint(partner.id);
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 6 WHERE id = ${id}`;
    await getDb().alertRuleOverride.create({ data: { rule: "endpoint_failing", scopeType: "ENDPOINT", scopeId: id, threshold: 10 } });
    await evaluate();
    expect(await incidentsOf("endpoint_failing", id)).toEqual([]);
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ${id}`;
  });

  it("an ops lead acknowledges (on the timeline and audited); support may not, and nothing changes", async () => {
    const id = await createTestEndpoint(partner.id, { status: "DISABLED" });
    await evaluate();
    const [incident] = await incidentsOf("endpoint_disabled", id);
    const support = await createConsoleUser({ role: "SUPPORT" });
    await expect(acknowledgeIncident({ incidentId: incident!.id }, support.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await incidentsOf("endpoint_disabled", id))[0]!.status).toBe("TRIGGERED");

    const result = await acknowledgeIncident({ incidentId: incident!.id, note: "Calling PHONEDESK" }, opsLead.actor);
    expect(result).toEqual({ incidentId: incident!.id, changed: true });
    expect(await acknowledgeIncident({ incidentId: incident!.id }, opsLead.actor)).toEqual({ incidentId: incident!.id, changed: false });
    const [after] = await incidentsOf("endpoint_disabled", id);
    expect(after!.status).toBe("ACKNOWLEDGED");
    expect(after!.timeline.map((t) => [t.kind, t.actorLabel, t.note])).toEqual([
      ["TRIGGERED", "system:evaluate_alerts", expect.any(String)],
      ["ACKNOWLEDGED", opsLead.email, "Calling PHONEDESK"],
    ]);
    const audit = await getDb().auditEntry.findMany({ where: { targetId: incident!.id, action: "incident.acknowledged" } });
    expect(audit.map((a) => [a.actorId, a.reason])).toEqual([[opsLead.id, "Calling PHONEDESK"]]);
    await expect(acknowledgeIncident({ incidentId: "inc_nope" }, opsLead.actor)).rejects.toBeInstanceOf(DomainError);
    // /api/metrics counts it (server/domain/ops/metrics-snapshot.ts).
    const { alerts } = await readMetricsSnapshot();
    expect(alerts!.openIncidents).toContainEqual({ severity: "HIGH", count: expect.any(Number) });
    await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'ACTIVE' WHERE id = ${id}`;
    await evaluate();
  });

  it("a site manager sees their facilities' incidents only", async () => {
    const mine = await createFacilityWithPool();
    const theirs = await createFacilityWithPool();
    const runId = newId("rec");
    await getDb().$executeRaw`INSERT INTO reconciliation_runs (id, trigger, status, finished_at) VALUES (${runId}, 'MANUAL', 'SUCCEEDED', now())`;
    for (const f of [mine, theirs]) {
      await getDb().$executeRaw`
        INSERT INTO discrepancies (run_id, kind, severity, facility_id, summary, expected, actual, fingerprint)
        VALUES (${runId}, 'POOL_COUNTER', 'LOW', ${f.facilityId}::uuid, 'test', '{}', '{}', ${`scope:${f.facilityId}`})`;
    }
    await evaluate();
    const manager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [mine.facilityId] });
    const { incidents } = await listIncidents(manager.actor, { status: "all" });
    expect(incidents.map((i) => i.facilityId)).toEqual([mine.facilityId]);
    await getDb().$executeRaw`UPDATE discrepancies SET status = 'CORRECTED' WHERE run_id = ${runId}`;
    await evaluate();
  });
});

describe("notifications (docs/operations.md#incident-notifications)", () => {
  it("e-mails an opted-in user once per state change, grouped, at most once per interval, over real SMTP", async () => {
    // Everything before this test is old news to the new recipient (its first look-back
    // is an hour), so start from a clean slate: no open incidents.
    await getDb().incidentTimelineEntry.deleteMany({});
    received.length = 0;
    const user = await createConsoleUser({ role: "OPS_LEAD" });
    await getDb().user.update({ where: { id: user.id }, data: { incidentEmailMinSeverity: "HIGH" } });
    const lowOnly = await createConsoleUser({ role: "OPS_LEAD" });
    await getDb().user.update({ where: { id: lowOnly.id }, data: { incidentEmailMinSeverity: "CRITICAL" } });
    const mailer = smtpMailer(`smtp://127.0.0.1:${smtpPort}`, "Holdfast <alerts@test.holdfast>");
    const notify = (now = new Date(), minIntervalMs = 300_000) => notifyIncidents(system(), { mailer, slackWebhookUrl: null, now, minIntervalMs, consoleUrl: "http://console.test" });

    const a = await createTestEndpoint(partner.id, { status: "DISABLED" });
    const b = await createTestEndpoint(partner.id, { status: "DISABLED" });
    await evaluate();
    expect(await notify()).toEqual({ messages: 1, deferred: 0, failed: 0 });
    expect(await notify()).toEqual({ messages: 0, deferred: 0, failed: 0 });
    expect(received.map(recipientOf)).toEqual([user.email]);
    expect(received[0]!.subject).toBe("[Holdfast] 2 incident changes (2 need attention)");
    expect(received[0]!.text).toContain(`http://console.test/webhooks/endpoints/${a}`);
    expect(received[0]!.text).toContain(`http://console.test/webhooks/endpoints/${b}`);
    expect(received[0]!.text).toContain("docs/operations.md#endpoint-failing-or-auto-disabled");

    // Both clear: two changes within the interval wait, then go as one message.
    await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'ACTIVE' WHERE id IN (${a}, ${b})`;
    await evaluate();
    await evaluate();
    expect(await notify()).toEqual({ messages: 0, deferred: 1, failed: 0 });
    expect(await notify(new Date(Date.now() + 301_000))).toEqual({ messages: 1, deferred: 0, failed: 0 });
    expect(await notify(new Date(Date.now() + 302_000))).toEqual({ messages: 0, deferred: 0, failed: 0 });
    expect(received).toHaveLength(2);
    expect((received[1]!.text ?? "").match(/^RESOLVED/gm)).toHaveLength(2);
  });

  it("demo mode's mail catcher keeps what is sent, for admins to read at /admin/mail", async () => {
    const subject = `catcher ${crypto.randomUUID()}`;
    await catcherMailer("Holdfast <alerts@test.holdfast>").send({ to: ["ops@test.holdfast"], subject, text: "body" });
    const admin = await createConsoleUser({ role: "ADMIN" });
    const mail = await listCaughtMail(admin.actor);
    expect(mail.filter((m) => m.subject === subject).map((m) => [m.toAddresses, m.text])).toEqual([[["ops@test.holdfast"], "body"]]);
    await expect(listCaughtMail(opsLead.actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("a Slack-compatible webhook (HOLDFAST_ALERT_SLACK_WEBHOOK_URL) gets one POST per state change; a failing or hanging one breaks neither evaluation nor e-mail", async () => {
    let answer: ReceiverAnswer = { status: 200, body: "ok" };
    const slack = await startReceiver(() => answer);
    const mailUser = await createConsoleUser({ role: "OPS_LEAD" });
    await getDb().user.update({ where: { id: mailUser.id }, data: { incidentEmailMinSeverity: "HIGH" } });
    // Configured as an operator would, and sent as the worker's job sends: no options.
    const restore = configure({
      HOLDFAST_ALERT_SLACK_WEBHOOK_URL: slack.url,
      HOLDFAST_ALERT_SLACK_MIN_SEVERITY: "HIGH",
      HOLDFAST_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      HOLDFAST_ALERT_NOTIFY_INTERVAL_SECONDS: "0",
    });
    try {
      await getDb().incidentTimelineEntry.deleteMany({}); // earlier tests' changes are not news here
      const notify = () => notifyIncidents(system());
      const posts = () => slack.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);
      const mailsTo = () => received.filter((m) => recipientOf(m) === mailUser.email).map((m) => m.subject);

      const endpointId = await createTestEndpoint(partner.id, { status: "DISABLED" });
      await evaluate();
      const [incident] = await incidentsOf("endpoint_disabled", endpointId);
      const label = incident!.subjectLabel;
      expect(await notify()).toMatchObject({ failed: 0 });
      expect(slack.requests.map((r) => [r.headers["content-type"], Object.keys(JSON.parse(r.body) as object)])).toEqual([["application/json", ["text"]]]);
      expect(posts()[0]).toMatch(new RegExp(`^\\*\\[Holdfast\\] HIGH triggered: Endpoint disabled — ${label}\\*\nTRIGGERED · HIGH · Endpoint disabled — ${label}\n`));
      expect(posts()[0]).toContain(`/incidents/${incident!.id}`);
      expect(posts()[0]).toContain("docs/operations.md#endpoint-failing-or-auto-disabled");
      expect(mailsTo()).toEqual([`[Holdfast] HIGH triggered: Endpoint disabled — ${label}`]);

      // Seen again and again: nothing new to tell.
      await evaluate();
      await evaluate();
      await notify();
      expect(slack.requests).toHaveLength(1);

      // Acknowledged by a person: told once.
      await acknowledgeIncident({ incidentId: incident!.id, note: "on it" }, opsLead.actor);
      await notify();
      await notify();
      expect(posts().slice(1).map((t) => t.split("\n")[1])).toEqual([`ACKNOWLEDGED · HIGH · Endpoint disabled — ${label}`]);

      // Slack answers 500: the e-mail still goes, the evaluation is untouched, and the
      // Slack message is retried (once, not duplicated) when Slack is back.
      answer = { status: 500, body: "no" };
      await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'ACTIVE' WHERE id = ${endpointId}`;
      await evaluate();
      expect(await notify()).toMatchObject({ messages: 1, failed: 1 });
      expect(mailsTo().at(-1)).toBe(`[Holdfast] HIGH resolved: Endpoint disabled — ${label}`);
      expect((await incidentsOf("endpoint_disabled", endpointId)).map((i) => i.status)).toEqual(["RESOLVED"]);
      expect(slack.requests).toHaveLength(3);
      answer = { status: 200 };
      expect(await notify()).toMatchObject({ messages: 1, failed: 0 });
      expect(await notify()).toMatchObject({ messages: 0, failed: 0 });
      expect(posts().slice(3).map((t) => t.split("\n")[1])).toEqual([`RESOLVED · HIGH · Endpoint disabled — ${label}`]);

      // Slack hangs: the e-mail goes first and an evaluation runs meanwhile; the send gives
      // up at its deadline and the next run delivers it.
      answer = { hang: true };
      await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'DISABLED' WHERE id = ${endpointId}`;
      await evaluate();
      const mailsBefore = mailsTo().length;
      let settled = false;
      const hanging = notify().finally(() => (settled = true));
      const evaluatedWhileHanging = await evaluate();
      expect([evaluatedWhileHanging, settled]).toMatchObject([{ triggered: 0, reopened: 0, resolved: 0 }, false]);
      expect(await hanging).toMatchObject({ messages: 1, failed: 1 });
      expect(mailsTo().slice(mailsBefore)).toEqual([`[Holdfast] HIGH reopened: Endpoint disabled — ${label}`]);
      answer = { status: 200 };
      expect(await notify()).toMatchObject({ messages: 1, failed: 0 });
      expect(await notify()).toMatchObject({ messages: 0, failed: 0 });

      // Every POST Slack got, failed ones included: one per state change, plus the retries.
      expect(posts().map((t) => t.split("\n")[1]!.split(" · ")[0])).toEqual([
        "TRIGGERED",
        "ACKNOWLEDGED",
        "RESOLVED", // answered 500
        "RESOLVED",
        "REOPENED", // hung until the deadline
        "REOPENED",
      ]);
      expect(mailsTo().filter((m) => m?.includes("reopened"))).toHaveLength(1);
    } finally {
      restore();
      await slack.close();
      await getDb().user.update({ where: { id: mailUser.id }, data: { incidentEmailMinSeverity: null } });
    }
  }, 60_000);

  it("a partner's technical contact is e-mailed, over real SMTP, when its endpoint starts failing and when it is disabled, once per change, with what to do", async () => {
    const own = await createPartner();
    const contact = `tech-${crypto.randomUUID().slice(0, 8)}@partner.test`;
    await getDb().partner.update({ where: { id: own.id }, data: { technicalContactEmail: contact } });
    const silent = await createPartner(); // no contact: never e-mailed
    const mailer = smtpMailer(`smtp://127.0.0.1:${smtpPort}`, "Holdfast <alerts@test.holdfast>");
    const tell = async () => {
      const before = received.length;
      const result = await notifyPartnerContacts(system(), { mailer, publicUrl: "http://holdfast.test" });
      const mails = received.slice(before);
      expect(mails.map(recipientOf).filter((to) => to !== contact)).toEqual([]);
      return { result, mails };
    };
    await tell(); // what earlier tests did is not this partner's news

    const endpointId = await createTestEndpoint(own.id, { url: "https://hooks.partner.test/holdfast" });
    const quiet = await createTestEndpoint(silent.id);
    const failingSince = new Date(Date.now() - 40 * 60_000);
    await createTestDelivery({ endpointId, status: "RETRYING", attempts: [{ status: 503, responseBody: "maintenance" }] });
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 6, failing_since = ${failingSince}, last_success_at = ${new Date(Date.now() - 3_600_000)}
      WHERE id IN (${endpointId}, ${quiet})`;
    await evaluate();
    const failing = await tell();
    expect(failing.result).toEqual({ messages: 1, failed: 0 });
    expect(failing.mails.map((m) => m.subject)).toEqual(["[Holdfast] Your webhook endpoint is failing: https://hooks.partner.test/holdfast"]);
    const text = failing.mails[0]!.text ?? "";
    expect(text).toContain(`Endpoint id:     ${endpointId}`);
    expect(text).toContain(`Failing since:   ${failingSince.toISOString()}`);
    expect(text).toMatch(/Last error: {6}HTTP 503 at \d{4}-/);
    expect(text).toContain("Failures in a row: 6");
    expect(text).toContain("Docs: http://holdfast.test/api-docs");

    // Seen again: nothing more.
    await evaluate();
    await evaluate();
    expect((await tell()).result).toEqual({ messages: 0, failed: 0 });

    // Disabled by the dispatcher: the failing incident resolves (not mailed), the disabled one is.
    const disabledAt = new Date();
    await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'DISABLED', disabled_at = ${disabledAt},
      disabled_reason = 'every attempt failed for 72 hours' WHERE id = ${endpointId}`;
    await evaluate();
    const disabled = await tell();
    expect(disabled.mails.map((m) => m.subject)).toEqual(["[Holdfast] Your webhook endpoint was disabled: https://hooks.partner.test/holdfast"]);
    expect(disabled.mails[0]!.text).toContain(`Disabled since:  ${disabledAt.toISOString()}`);
    expect(disabled.mails[0]!.text).toContain("Reason:          every attempt failed for 72 hours");
    expect(disabled.mails[0]!.text).toContain("GET /api/v1/events");
    expect((await tell()).mails).toEqual([]);

    // Enabled and healthy: resolutions are not mailed. Failing again: told again.
    await getDb().$executeRaw`UPDATE webhook_endpoints SET status = 'ACTIVE', consecutive_failures = 0, failing_since = NULL WHERE id = ${endpointId}`;
    await evaluate();
    expect((await tell()).mails).toEqual([]);
    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 4, failing_since = now() WHERE id = ${endpointId}`;
    await evaluate();
    expect((await tell()).mails.map((m) => m.subject)).toEqual(["[Holdfast] Your webhook endpoint is failing: https://hooks.partner.test/holdfast"]);
    expect((await incidentsOf("endpoint_failing", endpointId)).map((i) => i.reopenCount)).toEqual([1]);

    await getDb().$executeRaw`UPDATE webhook_endpoints SET consecutive_failures = 0, status = 'ACTIVE' WHERE id IN (${endpointId}, ${quiet})`;
    await getDb().$executeRaw`UPDATE webhook_deliveries SET status = 'SUCCEEDED', succeeded_at = now() WHERE endpoint_id = ${endpointId}`;
    await evaluate();
  });
});
