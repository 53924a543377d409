import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPartner, useOwnDatabase, type TestPartner } from "../../../../test/factories";
import { startReceiver, type Receiver } from "../../../../test/webhook-receiver";
import { configure, webhookConfig } from "../../../config";
import { getDb } from "../../../db";
import { DomainError } from "@/server/domain/shared/errors";
import { appendEvent } from "@/server/domain/shared/events";
import { inTransaction } from "@/server/domain/shared/transaction";
import { closeDefaultSender } from "./attempt-delivery";
import { createWebhookEndpoint } from "../endpoints/create-webhook-endpoint";
import { updateWebhookEndpoint } from "../endpoints/update-webhook-endpoint";
import type { Resolver } from "../endpoints/url-policy";
import { closeAsyncCommitPool } from "@/server/domain/shared/async-commit-db";
import { dispatchOnce } from "./dispatcher";
import { WebhookSender } from "./http-sender";

/**
 * The destination rule at save and at delivery, against real PostgreSQL and a real
 * receiver on loopback (docs/webhooks.md#where-webhooks-may-be-sent). The receiver stands
 * for an internal service: a name that resolved to a public address when it was saved
 * and resolves to 127.0.0.1 at delivery (DNS rebinding) must never reach it. Nothing is
 * sent to any address but loopback; no endpoint is left at an internal address.
 */

let dropDatabase: () => Promise<void>;
let restore: (() => void) | undefined;
const receivers: Receiver[] = [];

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("webhook_destinations");
});
afterEach(() => {
  restore?.();
  restore = undefined;
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await closeDefaultSender();
  await closeAsyncCommitPool();
  await dropDatabase();
});

/** Demo-mode rules (http allowed) with nothing allow-listed: loopback is internal again. */
function demoRulesWithoutAllowList() {
  restore = configure({ HOLDFAST_DEMO: "1", HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "", PORT: "3999" });
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function emit(partner: TestPartner): Promise<string> {
  return inTransaction({}, (tx) =>
    appendEvent(tx, {
      type: "booking.confirmed",
      aggregateType: "booking",
      aggregateId: crypto.randomUUID(),
      aggregateVersion: 1,
      partnerId: partner.id,
      correlationId: `cor_${crypto.randomBytes(4).toString("hex")}`,
      data: {},
    }),
  );
}

/** A resolver that answers `address` for every name (a re-pointed DNS record). */
const resolvesTo =
  (address: string): Resolver =>
  async () => [{ address, family: address.includes(":") ? 6 : 4 }];

async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe("saving an endpoint", () => {
  it("refuses internal destinations as written, in production and in demo mode, and stores nothing", async () => {
    const partner = await createPartner();
    restore = configure({ HOLDFAST_DEMO: "0", HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "" });
    for (const url of ["https://[64:ff9b::a9fe:a9fe]/", "https://[::7f00:1]/", "https://[2002:7f00:1::]/", "https://[fec0::1]/", "https://localhost./"]) {
      const refused = await refusalOf(createWebhookEndpoint({ url }, partner.actor));
      expect({ url, code: refused.code, fields: refused.fieldErrors?.map((f) => f.path) }).toEqual({ url, code: "VALIDATION_FAILED", fields: ["url"] });
    }
    restore();
    demoRulesWithoutAllowList();
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:5432/", "http://[::1]:3999/api/health"]) {
      const refused = await refusalOf(createWebhookEndpoint({ url }, partner.actor));
      expect({ url, code: refused.code }).toEqual({ url, code: "VALIDATION_FAILED" });
    }
    expect(await getDb().webhookEndpoint.count({ where: { partnerId: partner.id } })).toBe(0);
  });

  it("in demo mode accepts the app's own demo receiver, and refuses moving an endpoint to an internal address", async () => {
    demoRulesWithoutAllowList();
    const partner = await createPartner();
    const created = await createWebhookEndpoint({ url: "http://localhost:3999/api/demo-receiver/WEBSITE?latency_ms=15" }, partner.actor);
    const refused = await refusalOf(updateWebhookEndpoint(created.endpoint.id, { url: "http://127.0.0.1:5432/" }, partner.actor));
    expect(refused.code).toBe("VALIDATION_FAILED");
    const stored = await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: created.endpoint.id } });
    expect(stored.url).toBe("http://localhost:3999/api/demo-receiver/WEBSITE?latency_ms=15");
    await getDb().webhookEndpoint.update({ where: { id: created.endpoint.id }, data: { deletedAt: new Date() } });
  });
});

describe("delivering", () => {
  it("refuses a name re-pointed at loopback after it was saved (DNS rebinding): nothing reaches the receiver", async () => {
    demoRulesWithoutAllowList();
    const rx = await receiver();
    const port = new URL(rx.url).port;
    const partner = await createPartner();
    // Saved while the name did not resolve here (the test machine has no DNS): accepted.
    const ep = await createWebhookEndpoint({ url: `http://rebind.holdfast-test.example.com:${port}/hooks/holdfast` }, partner.actor);
    await emit(partner);

    const rebound = new WebhookSender({ ...webhookConfig(), timeoutMs: 5000 }, { resolve: resolvesTo("127.0.0.1") });
    try {
      const [result] = await dispatchOnce({ sender: rebound });
      expect(result).toMatchObject({ success: false, failureClass: "CONNECT", deliveryStatus: "RETRYING" });
    } finally {
      await rebound.close();
    }
    expect(rx.requests).toEqual([]);
    const attempts = await getDb().webhookAttempt.findMany({ where: { endpointId: ep.endpoint.id } });
    expect(attempts.map((a) => ({ status: a.responseStatus, error: a.errorMessage }))).toEqual([
      { status: null, error: expect.stringMatching(/resolves to 127\.0\.0\.1 \(loopback\)/) },
    ]);

    // The same delivery to the same name, allow-listed (a partner's VPN host), does arrive:
    // the refusal above was the rule's, not a broken test set-up.
    const allowed = new WebhookSender(
      { ...webhookConfig(), allowedHosts: new Set(["rebind.holdfast-test.example.com"]), timeoutMs: 5000 },
      { resolve: resolvesTo("127.0.0.1") },
    );
    try {
      const [retry] = await dispatchOnce({ sender: allowed, now: new Date(Date.now() + 60_000) });
      expect(retry).toMatchObject({ success: true });
    } finally {
      await allowed.close();
    }
    expect(rx.requests).toHaveLength(1);
    await getDb().webhookEndpoint.update({ where: { id: ep.endpoint.id }, data: { deletedAt: new Date() } });
  });

  it("refuses an endpoint stored at an internal address before the rule existed, without connecting", async () => {
    demoRulesWithoutAllowList();
    const rx = await receiver();
    const partner = await createPartner();
    const ep = await createWebhookEndpoint({ url: "https://hooks.holdfast-test.example.com/h" }, partner.actor);
    // an old row: written before saves were checked
    await getDb().webhookEndpoint.update({ where: { id: ep.endpoint.id }, data: { url: rx.url } });
    await emit(partner);
    const [result] = await dispatchOnce();
    expect(result).toMatchObject({ success: false, failureClass: "CONNECT" });
    expect(rx.requests).toEqual([]);
    const attempts = await getDb().webhookAttempt.findMany({ where: { endpointId: ep.endpoint.id } });
    expect(attempts.map((a) => a.errorMessage)).toEqual([expect.stringMatching(/127\.0\.0\.1 is loopback/)]);
    await getDb().webhookEndpoint.update({ where: { id: ep.endpoint.id }, data: { deletedAt: new Date() } });
  });
});
