import crypto from "node:crypto";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDelivery, createTestEndpoint } from "../../test/delivery-factory";
import { createFacilityWithPool, createPartner, type TestPartner, type TestPool } from "../../test/factories";
import { createUser as createTestUser } from "../../test/user-factory";
import { startReceiver, type Receiver } from "../../test/webhook-receiver";
import type { RequestMeta } from "../auth/request-meta";
import { disconnectDb, getDb } from "../db";
import { decryptSecret } from "../domain/shared/secrets";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { closeDefaultSender } from "../domain/webhooks/delivery/attempt-delivery";
import type { ActionResult } from "./console-action";
import {
  cancelReplayJobAction,
  disableEndpointAction,
  enableEndpointAction,
  replayDeliveryAction,
  replayEventAction,
  replayWindowAction,
  rotateSecretAction,
  sendTestPingAction,
  startBulkReplayAction,
  updateEndpointAction,
} from "./webhooks";

/**
 * The webhooks screens' server actions, called as the console calls them (forged calls
 * included): each refuses a missing session, a missing permission (audited as DENIED,
 * nothing changed) and malformed input (nothing changed, nothing audited), and on success
 * calls the domain service, which audits. Replays and test pings send real HTTP to a
 * receiver on loopback.
 */

let receiver: Receiver;
let pool: TestPool;
let partner: TestPartner;
let support: SessionUser;
let manager: SessionUser;
let ops: SessionUser;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 200, body: '{"ok":true}' }));
  pool = await createFacilityWithPool({ units: 2 });
  partner = await createPartner();
  [support, manager, ops] = await Promise.all([
    sessionUser({ role: "SUPPORT" }),
    sessionUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] }),
    sessionUser({ role: "OPS_LEAD" }),
  ]);
});
afterAll(async () => {
  await receiver.close();
  await closeDefaultSender();
  await disconnectDb();
});

function meta(correlationId = `cor_action_${crypto.randomUUID()}`): RequestMeta {
  return { ip: "10.9.8.7", userAgent: "vitest", correlationId };
}

async function sessionUser(options: Parameters<typeof createTestUser>[0]): Promise<SessionUser> {
  const user = await loadSessionUser((await createTestUser(options)).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

const auditsOf = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId }, orderBy: [{ occurredAt: "asc" }, { id: "asc" }] });
const attemptsOf = (deliveryId: string) => getDb().webhookAttempt.findMany({ where: { deliveryId }, orderBy: { attemptNumber: "asc" } });
const endpointRow = (id: string) => getDb().webhookEndpoint.findUniqueOrThrow({ where: { id } });

/** An endpoint pointing at the loopback receiver, with one DEAD delivery of a London event. */
async function deadDelivery(path = crypto.randomUUID()) {
  const endpointId = await createTestEndpoint(partner.id, { url: `${receiver.url}/${path}` });
  const delivery = await createTestDelivery({
    endpointId,
    partnerId: partner.id,
    facilityId: pool.facilityId,
    status: "DEAD",
    createdAt: new Date(Date.now() - 3_600_000),
    attempts: [{ status: 500 }, { status: 503 }],
  });
  return { endpointId, ...delivery };
}

function failed(result: ActionResult<unknown>) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.data)}`);
  return result;
}

function succeeded<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.data;
}

describe("webhook actions refuse callers who may not use them", () => {
  it("a forged call without a session is UNAUTHENTICATED; nothing is sent, changed or audited", async () => {
    const x = await deadDelivery();
    const request = meta();
    const as = { user: null, meta: request };
    const results = await Promise.all([
      replayDeliveryAction.withRequest(as)({ deliveryId: x.deliveryId }),
      disableEndpointAction.withRequest(as)({ endpointId: x.endpointId, reason: "forged" }),
      rotateSecretAction.withRequest(as)({ endpointId: x.endpointId }),
    ]);
    expect(results.map((r) => failed(r).code)).toEqual(["UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"]);
    expect(await attemptsOf(x.deliveryId)).toHaveLength(2);
    expect(await endpointRow(x.endpointId)).toMatchObject({ status: "ACTIVE", secretVersion: 1 });
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });

  it("a site manager may not replay (docs/domain.md#roles-and-permissions): FORBIDDEN, audited as DENIED, no attempt made", async () => {
    const x = await deadDelivery();
    const request = meta();
    const result = failed(await replayDeliveryAction.withRequest({ user: manager, meta: request })({ deliveryId: x.deliveryId }));
    expect(result).toMatchObject({ code: "FORBIDDEN", correlationId: request.correlationId });
    expect(await attemptsOf(x.deliveryId)).toHaveLength(2);
    expect(receiver.requests.filter((r) => r.headers["webhook-id"] === x.eventId)).toEqual([]);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      { actorId: manager.id, action: "delivery.replay", targetType: "permission", targetId: "delivery.replay", result: "DENIED", ip: "10.9.8.7" },
    ]);
  });

  it("support may not bulk replay, replay an event or a window, cancel a job, or manage endpoints: each refusal audited, nothing changed", async () => {
    const x = await deadDelivery();
    const before = await endpointRow(x.endpointId);
    const jobsBefore = await getDb().replayJob.count();
    const request = meta();
    const as = { user: support, meta: request };
    const now = Date.now();
    const results = await Promise.all([
      replayEventAction.withRequest(as)({ eventId: x.eventId }),
      startBulkReplayAction.withRequest(as)({ filter: { endpointId: x.endpointId, status: ["DEAD"] }, ratePerSecond: 10, expectedCount: 1 }),
      replayWindowAction.withRequest(as)({ endpointId: x.endpointId, from: new Date(now - 86_400_000), to: new Date(now) }),
      cancelReplayJobAction.withRequest(as)({ jobId: crypto.randomUUID() }),
      disableEndpointAction.withRequest(as)({ endpointId: x.endpointId, reason: "support tried" }),
      enableEndpointAction.withRequest(as)({ endpointId: x.endpointId }),
      rotateSecretAction.withRequest(as)({ endpointId: x.endpointId }),
      sendTestPingAction.withRequest(as)({ endpointId: x.endpointId }),
      updateEndpointAction.withRequest(as)({ endpointId: x.endpointId, description: "support tried" }),
    ]);
    expect(results.map((r) => failed(r).code)).toEqual(Array(9).fill("FORBIDDEN"));

    const denied = await auditsOf(request.correlationId);
    expect(denied.filter((a) => a.result !== "DENIED" || a.actorId !== support.id)).toEqual([]);
    expect(denied.map((a) => `${a.action} ${a.targetId}`).sort()).toEqual([
      "delivery.bulk_replay delivery.bulk_replay",
      "delivery.bulk_replay delivery.bulk_replay",
      "delivery.replay delivery.bulk_replay",
      "endpoint.test endpoint.manage",
      "replay_job.cancel delivery.bulk_replay",
      "webhook_endpoint.disable endpoint.manage",
      "webhook_endpoint.enable endpoint.manage",
      "webhook_endpoint.rotate_secret endpoint.manage",
      "webhook_endpoint.update endpoint.manage",
    ]);
    const after = await endpointRow(x.endpointId);
    expect({ status: after.status, secretVersion: after.secretVersion, secret: after.secretCiphertext, description: after.description }).toEqual({
      status: before.status,
      secretVersion: before.secretVersion,
      secret: before.secretCiphertext,
      description: before.description,
    });
    expect(await getDb().replayJob.count()).toBe(jobsBefore);
    expect(await attemptsOf(x.deliveryId)).toHaveLength(2);
    expect(await getDb().webhookTestPing.count({ where: { endpointId: x.endpointId } })).toBe(0);
    expect(receiver.requests.filter((r) => r.path.includes(x.endpointId) || r.headers["webhook-id"] === x.eventId)).toEqual([]);
  });
});

describe("webhook actions validate their input", () => {
  it("refuses malformed input with field errors; nothing is sent, changed or audited", async () => {
    const x = await deadDelivery();
    const request = meta();
    const asOps = { user: ops, meta: request };
    const now = Date.now();

    expect(failed(await replayDeliveryAction.withRequest({ user: support, meta: request })({ deliveryId: "msg_nope" }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { deliveryId: ["Not a delivery id"] },
    });
    expect(failed(await disableEndpointAction.withRequest(asOps)({ endpointId: x.endpointId, reason: "   " }))).toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: { reason: [expect.any(String)] },
    });
    expect(
      failed(await startBulkReplayAction.withRequest(asOps)({ filter: { status: ["LOST" as never] }, ratePerSecond: 0 })),
    ).toMatchObject({ code: "VALIDATION_FAILED", fieldErrors: { "filter.status.0": [expect.any(String)], ratePerSecond: [expect.any(String)] } });
    expect(
      failed(await replayWindowAction.withRequest(asOps)({ endpointId: x.endpointId, from: new Date(now), to: new Date(now - 1000) })),
    ).toMatchObject({ code: "VALIDATION_FAILED", fieldErrors: { to: ["`from` must be before `to`"] } });
    expect(failed(await rotateSecretAction.withRequest(asOps)({ endpointId: x.endpointId, secret: "chosen" } as never))).toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(failed(await cancelReplayJobAction.withRequest(asOps)({ jobId: "not-a-uuid" }))).toMatchObject({ code: "VALIDATION_FAILED" });

    expect(await endpointRow(x.endpointId)).toMatchObject({ status: "ACTIVE", secretVersion: 1 });
    expect(await attemptsOf(x.deliveryId)).toHaveLength(2);
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });
});

describe("webhook actions do what they say, audited", () => {
  it("support replays a dead delivery: a new MANUAL_REPLAY attempt by them, same webhook-id, signed, audited", async () => {
    const x = await deadDelivery();
    const request = meta();
    const outcome = succeeded(await replayDeliveryAction.withRequest({ user: support, meta: request })({ deliveryId: x.deliveryId }));
    expect(outcome).toMatchObject({ deliveryId: x.deliveryId, attemptNumber: 3, success: true, responseStatus: 200, deliveryStatus: "SUCCEEDED" });

    const attempts = await attemptsOf(x.deliveryId);
    expect(attempts.map((a) => [a.attemptNumber, a.trigger, a.responseStatus])).toEqual([
      [1, "SCHEDULED", 500],
      [2, "RETRY", 503],
      [3, "MANUAL_REPLAY", 200],
    ]);
    expect(attempts[2]).toMatchObject({ triggeredById: support.id, correlationId: request.correlationId, signedWith: ["secret_v1"] });
    const sent = receiver.requests.filter((r) => r.headers["webhook-id"] === x.eventId);
    expect(sent).toHaveLength(1);
    const secret = decryptSecret((await endpointRow(x.endpointId)).secretCiphertext);
    expect(() => new StandardWebhook(secret).verify(sent[0]!.body, sent[0]!.headers)).not.toThrow();
    expect(await auditsOf(request.correlationId)).toMatchObject([
      { actorId: support.id, action: "delivery.replay", result: "SUCCESS", facilityId: pool.facilityId },
    ]);
  });

  it("a delivery that does not exist is NOT_FOUND; one of a disabled endpoint is a CONFLICT naming why", async () => {
    const as = { user: support, meta: meta() };
    expect(failed(await replayDeliveryAction.withRequest(as)({ deliveryId: "msg_00000000000000000000000000" }))).toMatchObject({ code: "NOT_FOUND" });

    const x = await deadDelivery();
    succeeded(await disableEndpointAction.withRequest({ user: ops, meta: meta() })({ endpointId: x.endpointId, reason: "partner maintenance" }));
    const refused = failed(await replayDeliveryAction.withRequest(as)({ deliveryId: x.deliveryId }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toContain("partner maintenance");
    expect(await attemptsOf(x.deliveryId)).toHaveLength(2);
  });

  it("an ops lead replays an event to each of its endpoints", async () => {
    const x = await deadDelivery();
    const request = meta();
    const result = succeeded(await replayEventAction.withRequest({ user: ops, meta: request })({ eventId: x.eventId }));
    expect(result).toEqual({ eventId: x.eventId, attempted: 1, succeeded: 1, skipped: 0 });
    expect((await attemptsOf(x.deliveryId)).at(-1)).toMatchObject({ trigger: "MANUAL_REPLAY", triggeredById: ops.id });
    expect((await auditsOf(request.correlationId)).map((a) => [a.action, a.result])).toEqual([["delivery.replay", "SUCCESS"]]);
  });

  it("an ops lead starts a bulk replay for the previewed count, and can cancel it; a stale count is refused", async () => {
    const x = await deadDelivery();
    const filter = { endpointId: x.endpointId, status: ["DEAD" as const] };
    const as = { user: ops, meta: meta() };

    const stale = failed(await startBulkReplayAction.withRequest(as)({ filter, ratePerSecond: 5, expectedCount: 2 }));
    expect(stale).toMatchObject({ code: "CONFLICT", context: { expected_count: 2, current_count: 1 } });
    expect(await getDb().replayJob.count({ where: { correlationId: as.meta.correlationId } })).toBe(0);

    const job = succeeded(await startBulkReplayAction.withRequest(as)({ filter, ratePerSecond: 5, expectedCount: 1 }));
    expect(job).toMatchObject({ status: "PENDING", total: 1, processed: 0, ratePerSecond: 5, requestedBy: { id: ops.id } });
    const cancel = meta();
    const cancelled = succeeded(await cancelReplayJobAction.withRequest({ user: ops, meta: cancel })({ jobId: job.id }));
    expect(cancelled).toMatchObject({ id: job.id, status: "CANCELLED", cancelledBy: { id: ops.id } });
    expect(failed(await cancelReplayJobAction.withRequest({ user: ops, meta: meta() })({ jobId: job.id }))).toMatchObject({ code: "CONFLICT" });

    const audits = [...(await auditsOf(as.meta.correlationId)), ...(await auditsOf(cancel.correlationId))];
    expect(audits.map((a) => [a.action, a.targetId, a.result])).toEqual([
      // the stale count: a business-rule refusal, audited as FAILED (nothing was started)
      ["delivery.bulk_replay", null, "FAILED"],
      ["delivery.bulk_replay", job.id, "SUCCESS"],
      ["replay_job.cancel", job.id, "SUCCESS"],
    ]);
  });

  it("an ops lead replays a window of an endpoint's failed and dead deliveries", async () => {
    const x = await deadDelivery();
    const job = succeeded(
      await replayWindowAction.withRequest({ user: ops, meta: meta() })({
        endpointId: x.endpointId,
        from: new Date(Date.now() - 2 * 3_600_000),
        to: new Date(),
        expectedCount: 1,
      }),
    );
    expect(job).toMatchObject({ total: 1, filter: { endpointId: x.endpointId, status: ["RETRYING", "DEAD"] } });
    succeeded(await cancelReplayJobAction.withRequest({ user: ops, meta: meta() })({ jobId: job.id }));
  });

  it("an ops lead disables (with a reason) and enables an endpoint", async () => {
    const x = await deadDelivery();
    const request = meta();
    const as = { user: ops, meta: request };
    expect(succeeded(await disableEndpointAction.withRequest(as)({ endpointId: x.endpointId, reason: "  returns 500 for everything " }))).toEqual({
      id: x.endpointId,
      status: "DISABLED",
      disabledReason: "returns 500 for everything",
    });
    expect(await endpointRow(x.endpointId)).toMatchObject({ status: "DISABLED", disabledReason: "returns 500 for everything" });
    expect(succeeded(await enableEndpointAction.withRequest(as)({ endpointId: x.endpointId }))).toEqual({ id: x.endpointId, status: "ACTIVE" });
    expect(await endpointRow(x.endpointId)).toMatchObject({ status: "ACTIVE", disabledReason: null });
    expect((await auditsOf(request.correlationId)).map((a) => [a.action, a.targetId, a.result, a.reason])).toEqual([
      ["webhook_endpoint.disable", x.endpointId, "SUCCESS", "returns 500 for everything"],
      ["webhook_endpoint.enable", x.endpointId, "SUCCESS", null],
    ]);
    expect(failed(await enableEndpointAction.withRequest(as)({ endpointId: "ep_00000000000000000000000000" }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("an ops lead edits an endpoint's URL, description, event types and concurrency; bad or empty edits are refused at the field, changing nothing", async () => {
    const x = await deadDelivery();
    const request = meta();
    const as = { user: ops, meta: request };
    const before = await endpointRow(x.endpointId);

    const refused = failed(await updateEndpointAction.withRequest(as)({ endpointId: x.endpointId, url: "ftp://hooks.example.com/x", max_concurrency: 0 }));
    expect(refused.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(refused.fieldErrors ?? {}).sort()).toEqual(["max_concurrency"]);
    const nothing = failed(await updateEndpointAction.withRequest(as)({ endpointId: x.endpointId }));
    expect(nothing.code).toBe("VALIDATION_FAILED");
    const badScheme = failed(await updateEndpointAction.withRequest(as)({ endpointId: x.endpointId, url: "ftp://hooks.example.com/x" }));
    expect(badScheme.code).toBe("VALIDATION_FAILED");
    expect(await endpointRow(x.endpointId)).toEqual(before);

    const url = `${receiver.url}/edited-${crypto.randomUUID()}`;
    expect(
      succeeded(
        await updateEndpointAction.withRequest(as)({
          endpointId: x.endpointId,
          url,
          description: "  Booking sync (v2) ",
          event_types: ["inventory.updated", "booking.confirmed", "inventory.updated"],
          max_concurrency: 4,
        }),
      ),
    ).toEqual({ id: x.endpointId, url, eventTypes: ["booking.confirmed", "inventory.updated"], maxConcurrency: 4 });
    expect(await endpointRow(x.endpointId)).toMatchObject({
      url,
      description: "Booking sync (v2)",
      eventTypes: ["booking.confirmed", "inventory.updated"],
      maxConcurrency: 4,
    });
    const audits = await auditsOf(request.correlationId);
    expect(audits.map((a) => [a.action, a.targetId, a.result, a.actorId])).toEqual([["webhook_endpoint.update", x.endpointId, "SUCCESS", ops.id]]);
    expect(audits[0]!.metadata).toMatchObject({ changes: { event_types: { from: before.eventTypes, to: ["booking.confirmed", "inventory.updated"] }, max_concurrency: { from: before.maxConcurrency, to: 4 } } });
  });

  it("an admin rotates the secret: the new one comes back once, signs from now on, and is never audited", async () => {
    const x = await deadDelivery();
    const admin = await sessionUser({ role: "ADMIN" });
    const request = meta();
    const rotated = succeeded(await rotateSecretAction.withRequest({ user: admin, meta: request })({ endpointId: x.endpointId }));
    expect(Object.keys(rotated).sort()).toEqual(["id", "previousSecretExpiresAt", "secret", "secretVersion"]);
    expect(rotated).toMatchObject({ id: x.endpointId, secretVersion: 2, secret: expect.stringMatching(/^whsec_/) });
    expect(decryptSecret((await endpointRow(x.endpointId)).secretCiphertext)).toBe(rotated.secret);
    const audits = await auditsOf(request.correlationId);
    expect(audits.map((a) => [a.action, a.result])).toEqual([["webhook_endpoint.rotate_secret", "SUCCESS"]]);
    expect(JSON.stringify(audits.map(({ metadata, reason }) => ({ metadata, reason })))).not.toContain(rotated.secret);
  });

  it("an ops lead sends a test ping: signed, answered, kept apart from the endpoint's deliveries, audited", async () => {
    const x = await deadDelivery();
    const request = meta();
    const ping = succeeded(await sendTestPingAction.withRequest({ user: ops, meta: request })({ endpointId: x.endpointId }));
    expect(ping).toMatchObject({ success: true, responseStatus: 200, signedWith: ["secret_v1"], id: expect.stringMatching(/^msg_/) });
    const sent = receiver.requests.find((r) => r.headers["webhook-id"] === ping.id)!;
    expect(JSON.parse(sent.body)).toMatchObject({ type: "webhook.test" });
    expect(await getDb().webhookTestPing.count({ where: { endpointId: x.endpointId } })).toBe(1);
    expect(await getDb().webhookAttempt.count({ where: { endpointId: x.endpointId } })).toBe(2);
    expect((await auditsOf(request.correlationId)).map((a) => [a.action, a.result])).toEqual([["endpoint.test", "SUCCESS"]]);
  });
});
