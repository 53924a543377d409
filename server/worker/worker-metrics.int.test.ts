import { spawn } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPartner, useOwnDatabase, type TestPartner } from "../../test/factories";
import { startReceiver, type Receiver } from "../../test/webhook-receiver";
import { getDb } from "../db";
import { appendEvent } from "../domain/shared/events";
import { inTransaction } from "../domain/shared/transaction";
import { createWebhookEndpoint } from "../domain/webhooks/endpoints/create-webhook-endpoint";
import { installWorkerSchema } from "./worker-schema";
import { startWorker, type RunningWorker } from "./run-worker";

/**
 * The worker's own /metrics, end to end: a real worker (graphile-worker and its webhook
 * dispatcher) on a database of its own, real HTTP to a loopback receiver, and the counter
 * read the way Prometheus reads it — by scraping the worker's metrics port.
 */

const frozenNow = new Date();
let dropDatabase: () => Promise<void>;
let worker: RunningWorker;
let ok: Receiver;
let failing: Receiver;

beforeAll(async () => {
  // The dispatcher fans out every event in its database: other files' events must not land here.
  dropDatabase = await useOwnDatabase("worker_metrics");
  await installWorkerSchema(process.env.DATABASE_URL!);
  ok = await startReceiver(() => ({ status: 204 }));
  failing = await startReceiver(() => ({ status: 503 }));
  worker = await startWorker({
    databaseUrl: process.env.DATABASE_URL!,
    concurrency: 2,
    log: pino({ level: "silent" }),
    // A stopped clock: a failed delivery's retry (5 s later) never comes due, so each
    // delivery is attempted exactly once while the test counts.
    webhooks: { fanoutPollMs: 20, claimPollMs: 50, timeoutMs: 5_000, clock: () => frozenNow },
    metricsPort: 0,
  });
});

afterAll(async () => {
  await worker?.stop();
  await ok?.close();
  await failing?.close();
  await dropDatabase?.();
});

async function scrape(): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(worker.metricsUrl!);
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}

function attempts(text: string, result: string): number {
  const match = new RegExp(`^webhook_attempts_total\\{result="${result}"\\} (\\d+)$`, "m").exec(text);
  return match ? Number(match[1]) : 0;
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
      data: { hello: "metrics" },
    }),
  );
}

/** Until the delivery's attempts are recorded (the counter follows the recorded row). */
async function attemptsRecorded(endpointId: string, eventId: string, count: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const n = await getDb().webhookAttempt.count({ where: { delivery: { endpointId, eventId } } });
    if (n >= count || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("worker metrics", () => {
  it("serves the worker's metrics on its own port, without the app's database gauges", async () => {
    expect(worker.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const { status, contentType, text } = await scrape();
    expect(status).toBe(200);
    expect(contentType).toContain("text/plain");
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toMatch(/^# TYPE webhook_attempts_total counter$/m);
    // Pools, bookings and heartbeats describe the whole system: only the app reports them.
    expect(text).not.toContain("holdfast_pool_");
    expect(text).not.toContain("holdfast_bookings");
    expect(text).not.toContain("holdfast_metrics_snapshot_up");

    const other = await fetch(worker.metricsUrl!.replace(/\/metrics$/, "/elsewhere"));
    expect(other.status).toBe(404);
    await other.arrayBuffer();
  });

  it("counts each attempt the dispatcher makes in webhook_attempts_total, by result", async () => {
    const partner = await createPartner();
    const good = await createWebhookEndpoint({ url: ok.url }, partner.actor);
    const before = (await scrape()).text;

    const delivered = await emit(partner);
    expect(await attemptsRecorded(good.endpoint.id, delivered, 1)).toBe(1);
    const afterSuccess = (await scrape()).text;
    expect(ok.requests.map((r) => r.headers["webhook-id"])).toEqual([delivered]);
    expect(attempts(afterSuccess, "success") - attempts(before, "success")).toBe(1);
    expect(attempts(afterSuccess, "http_5xx")).toBe(attempts(before, "http_5xx"));

    // A failure is an attempt too, under its class.
    const other = await createPartner();
    const bad = await createWebhookEndpoint({ url: failing.url }, other.actor);
    const refused = await emit(other);
    expect(await attemptsRecorded(bad.endpoint.id, refused, 1)).toBe(1);
    const afterFailure = (await scrape()).text;
    expect(failing.requests).toHaveLength(1);
    expect(attempts(afterFailure, "http_5xx") - attempts(afterSuccess, "http_5xx")).toBe(1);
    expect(attempts(afterFailure, "success")).toBe(attempts(afterSuccess, "success"));
  });

  // Budget: two launches of a worker process through tsx (a compile of the launcher's imports,
  // migrations checked, graphile-worker started): ~30 s on a loaded 2-core machine.
  it("is started by the worker's launcher (scripts/start-worker.ts) on HOLDFAST_WORKER_METRICS_PORT", { timeout: 240_000 }, async () => {
    const env = (port: string): NodeJS.ProcessEnv => ({
      NODE_ENV: "production",
      PATH: process.env.PATH,
      DATABASE_URL: process.env.DATABASE_URL,
      HOLDFAST_DEMO: "0",
      HOLDFAST_WEBHOOK_DISPATCH: "0",
      HOLDFAST_WORKER_METRICS_PORT: port,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
      HOLDFAST_ENCRYPTION_KEY: process.env.HOLDFAST_ENCRYPTION_KEY,
      PAYMENT_WEBHOOK_SECRET: process.env.PAYMENT_WEBHOOK_SECRET,
      LOG_LEVEL: "info",
      HOLDFAST_WORKER_CONCURRENCY: "2",
    });
    const launcher = path.resolve("scripts/start-worker.ts");

    // A bad value is a configuration error, before anything starts.
    const refused = spawn(process.execPath, ["--import", "tsx", launcher], { env: env("ninety"), stdio: ["ignore", "pipe", "pipe"] });
    let refusal = "";
    refused.stderr!.on("data", (chunk: Buffer) => (refusal += chunk.toString()));
    expect(await new Promise((resolve) => refused.once("exit", resolve))).toBe(1);
    expect(refusal).toContain("HOLDFAST_WORKER_METRICS_PORT must be a port number");

    const child = spawn(process.execPath, ["--import", "tsx", launcher], { env: env("0"), stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        const timer = setTimeout(() => reject(new Error(`no metrics URL in 150 s: ${err}`)), 150_000);
        child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const found = /worker metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(out);
          if (found) {
            clearTimeout(timer);
            resolve(found[1]!);
          }
        });
        void exited.then((code) => reject(new Error(`worker exited (${code}) before serving metrics: ${err}`)));
      });
      const response = await fetch(url);
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).toMatch(/^# TYPE webhook_attempts_total counter$/m);
      expect(text).toContain("process_cpu_user_seconds_total");
      expect(text).not.toContain("holdfast_pool_");
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });
});
