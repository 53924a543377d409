import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPartner, useOwnDatabase } from "../../../../test/factories";
import { retryAsPartner } from "../../../../test/retry-as-partner";
import { startReceiver, type Receiver } from "../../../../test/webhook-receiver";
import { getDb } from "../../../db";
import { appendEvent } from "@/server/domain/shared/events";
import { inTransaction } from "@/server/domain/shared/transaction";
import { createWebhookEndpoint } from "../endpoints/create-webhook-endpoint";

/**
 * kill -9 the worker process (the real launcher, scripts/start-worker.ts) at random
 * moments while 2,000 deliveries are being fanned out and sent, restarting it each time.
 * Afterwards every event has reached every subscribed endpoint at least once, every
 * request verifies, and a duplicate (an attempt whose outcome died with the worker)
 * carries the same webhook-id as the first.
 */

const EVENTS = 500;
const ENDPOINTS = 4;
const KILLS = 6;
const WORKER_START_BUDGET_MS = 120_000;

let dropDatabase: () => Promise<void>;
let receiver: Receiver;
let worker: ChildProcess | null = null;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("webhook_crash");
  receiver = await startReceiver(() => ({ status: 200, delayMs: 5 + Math.floor(Math.random() * 45) }));
});
afterAll(async () => {
  worker?.kill("SIGKILL");
  await receiver.close();
  await dropDatabase();
});

function startWorker(): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH,
    DATABASE_URL: process.env.DATABASE_URL,
    // production rules, with the loopback receiver allow-listed
    HOLDFAST_DEMO: "0",
    HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    // several workers at once: each serves its metrics on a free port
    HOLDFAST_WORKER_METRICS_PORT: "0",
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET,
    HOLDFAST_ENCRYPTION_KEY: process.env.HOLDFAST_ENCRYPTION_KEY,
    PAYMENT_WEBHOOK_SECRET: process.env.PAYMENT_WEBHOOK_SECRET,
    LOG_LEVEL: "info",
    HOLDFAST_WORKER_CONCURRENCY: "4",
    HOLDFAST_WEBHOOK_TIMEOUT_MS: "2000",
    // a killed worker's leases lapse after 3 s and another worker takes them over
    HOLDFAST_WEBHOOK_LEASE_MS: "3000",
    HOLDFAST_WEBHOOK_CONCURRENCY: "64",
  };
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("scripts/start-worker.ts")], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    // Starting is compiling the worker with tsx and connecting: seconds alone, much longer
    // on a machine busy with a whole CI run. The budget is for that, not a measure.
    const timer = setTimeout(() => reject(new Error(`worker did not start in ${WORKER_START_BUDGET_MS / 1000} s: ${stderr}`)), WORKER_START_BUDGET_MS);
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"webhook dispatcher started"')) {
        clearTimeout(timer);
        out = "";
        resolve(child);
      }
      if (out.length > 100_000) out = out.slice(-1000);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before starting: ${stderr}`));
    });
  });
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

describe("deliveries survive kill -9 of the worker", () => {
  it("every event reaches every subscribed endpoint at least once; duplicates carry the same webhook-id", { timeout: (KILLS + 1) * WORKER_START_BUDGET_MS + 180_000 }, async () => {
    const partner = await createPartner();
    const endpoints = [];
    for (let i = 0; i < ENDPOINTS; i++) {
      const created = await createWebhookEndpoint({ url: `${receiver.url}?endpoint=${i}` }, partner.actor);
      await getDb().webhookEndpoint.update({ where: { id: created.endpoint.id }, data: { maxConcurrency: 16 } });
      endpoints.push(created);
    }

    // Events keep arriving while the worker is being killed.
    const eventIds: string[] = [];
    const emitting = (async () => {
      for (let i = 0; i < EVENTS; i += 10) {
        // ids are kept once the transaction commits: a batch that a starved machine
        // times out (P2028) rolls back whole and is written again
        const batch = await retryAsPartner(() =>
          inTransaction({}, async (tx) => {
            const ids: string[] = [];
            for (let j = i; j < i + 10; j++) {
              ids.push(
                await appendEvent(tx, {
                  type: "booking.confirmed",
                  aggregateType: "booking",
                  aggregateId: crypto.randomUUID(),
                  aggregateVersion: 1,
                  partnerId: partner.id,
                  correlationId: `cor_crash_${j}`,
                  data: { n: j },
                }),
              );
            }
            return ids;
          }),
        );
        eventIds.push(...batch);
        await sleep(120); // ~6 s of events: the kills land while there is work in flight
      }
    })();
    // awaited below; if the worker fails to start first, its error is the one reported
    emitting.catch(() => undefined);

    let kills = 0;
    worker = await startWorker();
    while (kills < KILLS) {
      await sleep(150 + Math.floor(Math.random() * 600));
      worker.kill("SIGKILL");
      await new Promise((r) => worker!.once("exit", r));
      kills++;
      worker = await startWorker();
    }
    await emitting;

    const expected = EVENTS * ENDPOINTS;
    // time for the last worker to finish what is left: seconds alone, minutes on a busy machine
    const deadline = Date.now() + 180_000;
    let succeeded = 0;
    while (Date.now() < deadline) {
      succeeded = await getDb().webhookDelivery.count({ where: { status: "SUCCEEDED" } });
      if (succeeded === expected) break;
      await sleep(250);
    }
    worker.kill("SIGTERM");
    await new Promise((r) => worker!.once("exit", r));
    worker = null;

    expect(succeeded).toBe(expected);
    expect(await getDb().webhookDelivery.count()).toBe(expected);

    // What the receiver saw: every request verifies with its endpoint's secret, and its
    // webhook-id is the event id in the body.
    const seen = new Map<string, number>();
    for (const request of receiver.requests) {
      const endpointIndex = Number(new URL(request.path, "http://receiver").searchParams.get("endpoint"));
      const body = JSON.parse(request.body) as { id: string };
      expect(request.headers["webhook-id"]).toBe(body.id);
      const verifiedBy = endpoints.findIndex((e) => {
        try {
          new Webhook(e.secret).verify(request.body, request.headers);
          return true;
        } catch {
          return false;
        }
      });
      expect(verifiedBy).toBe(endpointIndex);
      const key = `${verifiedBy}:${body.id}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    for (let e = 0; e < ENDPOINTS; e++) {
      for (const id of eventIds) expect(seen.get(`${e}:${id}`) ?? 0, `${id} → endpoint ${e}`).toBeGreaterThanOrEqual(1);
    }
    expect(seen.size).toBe(expected);
    const duplicates = receiver.requests.length - expected;
    const attempts = await getDb().webhookAttempt.count();
    console.log(`crash test: ${kills} kills, ${receiver.requests.length} requests for ${expected} deliveries (${duplicates} duplicates), ${attempts} attempts recorded`);
  });
});
