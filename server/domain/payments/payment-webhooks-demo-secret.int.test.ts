import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "../../../test/factories";
import { startRouteServer, type RouteServer } from "../../../test/route-server";
import { disconnectDb, getDb } from "../../db";
import { ConfigError, DEMO_PAYMENT_WEBHOOK_SECRET, parseConfig, REQUIRED_TO_SERVE } from "../../config";

// This file's process runs as the demo does: HOLDFAST_DEMO=1 and the documented demo
// signing secret (set before anything reads the configuration, which config() caches).
const TEST_SECRET = process.env.PAYMENT_WEBHOOK_SECRET!;
process.env.HOLDFAST_DEMO = "1";
process.env.PAYMENT_WEBHOOK_SECRET = DEMO_PAYMENT_WEBHOOK_SECRET;

// Refused deliveries are throttled across the whole database (docs/operations.md), so other
// files' badly signed deliveries must not use up this file's allowance: a database of its own.
let server: RouteServer;
let dropDatabase: () => Promise<void>;
beforeAll(async () => {
  dropDatabase = await useOwnDatabase("payment_demo_secret");
  server = await startRouteServer();
}, 120_000);
afterAll(async () => {
  await server.close();
  await disconnectDb();
  await dropDatabase();
});

async function deliver(secret: string) {
  const webhookId = `msg_demo_${crypto.randomUUID()}`;
  const body = JSON.stringify({
    id: `pay_evt_${crypto.randomUUID()}`,
    type: "payment.refunded", // stored IGNORED: this file only proves the signature is accepted
    created_at: new Date().toISOString(),
    data: {},
  });
  const at = new Date();
  const response = await fetch(`${server.url}/api/webhooks/payments`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": webhookId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(webhookId, at, body),
    },
    body,
  });
  return { status: response.status, webhookId };
}

describe("the payment provider's demo signing secret (docs/operations.md#demo-mode-and-demo-data)", () => {
  it("verifies events signed with the documented demo secret in demo mode", async () => {
    const response = await deliver(DEMO_PAYMENT_WEBHOOK_SECRET);
    expect(response.status).toBe(200);
    expect(await getDb().inboundWebhookEvent.findUnique({ where: { id: response.webhookId } })).toMatchObject({ status: "IGNORED" });
    // …and nothing else: a different secret is refused.
    expect((await deliver(TEST_SECRET)).status).toBe(401);
  });

  it("is refused as configuration outside demo mode", () => {
    expect(() =>
      parseConfig({ ...process.env, HOLDFAST_DEMO: "0", PAYMENT_WEBHOOK_SECRET: DEMO_PAYMENT_WEBHOOK_SECRET }, { require: REQUIRED_TO_SERVE }),
    ).toThrow(ConfigError);
  });
});
