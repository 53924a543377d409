// bench/dispatch — outgoing webhooks: deliveries per second to a receiver that answers
// after 50 ms, and commit → first-attempt lag at a fixed event rate, each against a
// baseline measured in the same run: a raw undici loop at the same concurrency that signs
// every request the same way (Standard Webhooks) but has no database, no outbox and no
// bookkeeping. The worker is the real launcher (scripts/start-worker.ts) in a process
// of its own, the receiver another. Run: npm run bench:dispatch
import crypto from "node:crypto";
import path from "node:path";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import { Agent, request } from "undici";
import { benchDatabase, percentile, spawnChild } from "../lib";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 128);
const ENDPOINTS = Number(process.env.BENCH_ENDPOINTS ?? 8);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 10_000);
const EVENT_RATE = Number(process.env.BENCH_EVENT_RATE ?? 500);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const LAG_ENDPOINTS = Number(process.env.BENCH_LAG_ENDPOINTS ?? 1);
const WARM_UP = 2000;
// Each endpoint's own limit is set above its share, so the worker's request slots (the
// baseline's concurrency) are what binds, not the endpoints'.
const ENDPOINT_CONCURRENCY = Math.min(64, Math.ceil((2 * CONCURRENCY) / ENDPOINTS));

const ENCRYPTION_KEY = Buffer.alloc(32, 11).toString("base64");

async function main() {
  const db = await benchDatabase("dispatch");
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    HOLDFAST_ENCRYPTION_KEY: ENCRYPTION_KEY,
    HOLDFAST_DEMO: "1",
    LOG_LEVEL: "silent",
  });
  const { getDb, disconnectDb } = await import("../../server/db");
  const { createWebhookEndpoint } = await import("../../server/domain/webhooks/endpoints/create-webhook-endpoint");
  const { newId } = await import("../../server/domain/shared/ids");
  const prisma = getDb();
  const raw = new pg.Pool({ connectionString: db.url, max: 8 });

  const receiver = await spawnChild(["bench/dispatch/receiver.ts"], { ...process.env }, /listening (\S+)/);
  const receiverUrl = receiver.match[1]!;
  const count = async () => (await (await fetch(`${receiverUrl}/count`)).json()) as { requests: number; unique: number };
  const reset = () => fetch(`${receiverUrl}/reset`, { method: "POST" });
  const arrivals = async () =>
    new Map(((await (await fetch(`${receiverUrl}/stats`)).json()) as { arrivals: [string, number][] }).arrivals);

  const workerEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    NODE_ENV: "production",
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: "20",
    HOLDFAST_DEMO: "0",
    HOLDFAST_WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    // several workers at once: each serves its metrics on a free port
    HOLDFAST_WORKER_METRICS_PORT: "0",
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
    HOLDFAST_ENCRYPTION_KEY: ENCRYPTION_KEY,
    PAYMENT_WEBHOOK_SECRET: `whsec_${crypto.randomBytes(24).toString("base64")}`,
    LOG_LEVEL: "info",
    ...extra,
  });
  const startWorker = (extra: Record<string, string>, ready = /"worker started"/) =>
    spawnChild([path.resolve("scripts/start-worker.ts")], workerEnv(extra), ready);

  const partner = await prisma.partner.create({ data: { code: "BENCH", name: "Bench", kind: "OTHER" } });
  const actor = { type: "SYSTEM" as const, id: "bench", label: "bench", scopes: [], facilityIds: null, correlationId: "bench" };
  async function endpoints(n: number, label: string, maxConcurrency: number) {
    const out = [];
    for (let i = 0; i < n; i++) {
      const created = await createWebhookEndpoint({ url: `${receiverUrl}/${label}/${i}` }, actor, { partnerId: partner.id });
      await prisma.webhookEndpoint.update({ where: { id: created.endpoint.id }, data: { maxConcurrency } });
      out.push(created);
    }
    return out;
  }
  async function retire(eps: { endpoint: { id: string } }[]) {
    await prisma.webhookEndpoint.updateMany({ where: { id: { in: eps.map((e) => e.endpoint.id) } }, data: { deletedAt: new Date() } });
  }
  async function insertEvents(n: number): Promise<void> {
    for (let done = 0; done < n; done += 1000) {
      const batch = Math.min(1000, n - done);
      const ids = Array.from({ length: batch }, () => newId("evt"));
      await raw.query(
        `INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, partner_id, correlation_id, data)
         SELECT id, 'booking.confirmed', 'booking', id, 1, $2, 'cor_bench', $3::jsonb FROM unnest($1::text[]) AS id`,
        [ids, partner.id, JSON.stringify(sampleData())],
      );
    }
  }
  async function waitFor(n: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const c = await count();
      if (c.unique >= n) return Date.now();
      if (Date.now() > deadline) throw new Error(`only ${c.unique} of ${n} delivered in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  /** Every delivery to these endpoints recorded as SUCCEEDED (the receiver saw them first). */
  async function settled(eps: { endpoint: { id: string } }[]): Promise<void> {
    const ids = eps.map((e) => e.endpoint.id);
    for (let i = 0; i < 400; i++) {
      const open = await prisma.webhookDelivery.count({ where: { endpointId: { in: ids }, status: { not: "SUCCEEDED" } } });
      if (open === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("deliveries were received but not all recorded as SUCCEEDED");
  }

  // ───────── throughput ─────────
  console.log(
    `\nthroughput: ${DELIVERIES} deliveries to ${ENDPOINTS} endpoints (max_concurrency ${ENDPOINT_CONCURRENCY} each), receiver answers after 50 ms, ${CONCURRENCY} requests in flight\n`,
  );
  const secret = `whsec_${crypto.randomBytes(32).toString("base64")}`;
  const signer = new Webhook(secret);
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const body = (id: string) =>
    JSON.stringify({ id, type: "booking.confirmed", schema_version: 1, created_at: new Date().toISOString(), correlation_id: "cor_bench", aggregate_version: 1, data: sampleData() });
  async function rawSend(url: string, id: string): Promise<void> {
    const payload = body(id);
    const now = new Date();
    const response = await request(url, {
      method: "POST",
      dispatcher: agent,
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": signer.sign(id, now, payload),
      },
      body: payload,
    });
    await response.body.text();
    if (response.statusCode >= 300) throw new Error(`receiver answered ${response.statusCode}`);
  }

  await rawSend(`${receiverUrl}/warm/0`, "evt_warm"); // warm-up
  await reset();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, c) => {
      for (let i = next++; i < DELIVERIES; i = next++) await rawSend(`${receiverUrl}/raw/${c % ENDPOINTS}`, `evt_raw_${i}`);
    }),
  );
  const baselineRate = DELIVERIES / ((performance.now() - started) / 1000);
  console.log(`raw undici loop + signing (baseline)   ${baselineRate.toFixed(0).padStart(6)} deliveries/s`);

  // The dispatcher, in the worker launched as in production, warmed up first (a fresh
  // process JIT-compiles its hot path; the baseline's loop runs in a warm process).
  // The clock starts before the events are committed: fan-out is part of the work.
  const worker = await startWorker({ HOLDFAST_WEBHOOK_CONCURRENCY: String(CONCURRENCY) }, /"webhook dispatcher started"/);
  let eps = await endpoints(ENDPOINTS, "warm", ENDPOINT_CONCURRENCY);
  await reset();
  await insertEvents(WARM_UP / ENDPOINTS);
  await waitFor(WARM_UP, 120_000);
  await settled(eps);
  await retire(eps);

  eps = await endpoints(ENDPOINTS, "loop", ENDPOINT_CONCURRENCY);
  await reset();
  const t0 = Date.now();
  await insertEvents(DELIVERIES / ENDPOINTS);
  const t1 = await waitFor(DELIVERIES, 300_000);
  const loopRate = DELIVERIES / ((t1 - t0) / 1000);
  await settled(eps);
  await retire(eps);
  console.log(
    `dispatcher (fan-out + leases, in the worker)   ${loopRate.toFixed(0).padStart(6)} deliveries/s   ${((loopRate / baselineRate) * 100).toFixed(0)} % of baseline`,
  );

  // ───────── lag at a fixed event rate ─────────
  const total = EVENT_RATE * LAG_SECONDS;
  console.log(
    `\nlag: ${EVENT_RATE} events/s for ${LAG_SECONDS} s (one event per committed transaction), ${LAG_ENDPOINTS} endpoint(s) subscribed → ${
      EVENT_RATE * LAG_ENDPOINTS
    } deliveries/s\n`,
  );
  /** Calls `fire(i)` EVENT_RATE times a second for LAG_SECONDS, without waiting for each. */
  async function paced(fire: (i: number) => Promise<void>): Promise<void> {
    const pending: Promise<void>[] = [];
    const t = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t + (i * 1000) / EVENT_RATE;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      pending.push(fire(i));
    }
    await Promise.all(pending);
  }
  const summarise = (values: number[]) => {
    values.sort((a, b) => a - b);
    return { p50: percentile(values, 50), p99: percentile(values, 99), max: values.at(-1) ?? NaN };
  };
  const fmt = (s: { p50: number; p99: number; max: number }) =>
    `p50 ${s.p50.toFixed(0).padStart(4)} ms   p99 ${s.p99.toFixed(0).padStart(4)} ms   max ${s.max.toFixed(0).padStart(5)} ms`;

  // baseline: "commit" = the moment the event exists; sent at once with undici
  await reset();
  const sentAt = new Map<string, number>();
  await paced(async (i) => {
    const id = `evt_rawlag_${i}`;
    sentAt.set(id, Date.now());
    await Promise.all(Array.from({ length: LAG_ENDPOINTS }, (_, e) => rawSend(`${receiverUrl}/rawlag/${e}`, id)));
  });
  let arrived = await arrivals();
  const baselineLag = summarise(
    [...arrived.entries()].map(([key, at]) => at - sentAt.get(key.split("|")[1]!)!),
  );
  console.log(`raw undici + signing (baseline)  received      ${fmt(baselineLag)}`);

  eps = await endpoints(LAG_ENDPOINTS, "lag", 64);
  const gen = new pg.Pool({ connectionString: db.url, max: 16 });
  const emit = (id: string) =>
    gen.query(
      `INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, partner_id, correlation_id, data)
       VALUES ($1, 'booking.confirmed', 'booking', $1, 1, $2, 'cor_lag', $3::jsonb)`,
      [id, partner.id, JSON.stringify(sampleData())],
    );
  await reset();
  const committedAt = new Map<string, number>();
  await paced(async () => {
    const id = newId("evt");
    await emit(id);
    committedAt.set(id, Date.now());
  });
  await waitFor(total * LAG_ENDPOINTS, 120_000);
  await settled(eps);
  await worker.stop();
  await gen.end();
  await retire(eps);
  arrived = await arrivals();
  const received = summarise(
    [...arrived.entries()].filter(([key]) => committedAt.has(key.split("|")[1]!)).map(([key, at]) => at - committedAt.get(key.split("|")[1]!)!),
  );
  const firstAttempts = await raw.query<{ event_id: string; started_at: Date }>(
    `SELECT d.event_id, min(a.started_at) AS started_at
     FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
     WHERE d.endpoint_id = ANY($1::text[]) AND d.event_id = ANY($2::text[]) GROUP BY d.id, d.event_id`,
    [eps.map((e) => e.endpoint.id), [...committedAt.keys()]],
  );
  const attemptLag = summarise(firstAttempts.rows.map((r) => r.started_at.getTime() - committedAt.get(r.event_id)!));
  if (process.env.BENCH_DEBUG) {
    const t0 = Math.min(...committedAt.values());
    const buckets = new Map<number, number[]>();
    for (const r of firstAttempts.rows) {
      const c = committedAt.get(r.event_id)!;
      const b = Math.floor((c - t0) / 500);
      buckets.set(b, [...(buckets.get(b) ?? []), r.started_at.getTime() - c]);
    }
    for (const [b, v] of [...buckets].sort((x, y) => x[0] - y[0])) console.error(`  t=${(b / 2).toFixed(1)}s`, JSON.stringify(summarise(v)));
  }
  console.log(`dispatcher  commit → first attempt started   ${fmt(attemptLag)}   (goal p99 < 100 ms)`);
  console.log(`dispatcher  commit → received                ${fmt(received)}   (p99 ${(received.p99 / Math.max(1, baselineLag.p99)).toFixed(1)}× baseline's)`);

  console.log(
    `\nsummary: dispatcher ${loopRate.toFixed(0)} deliveries/s (${((loopRate / baselineRate) * 100).toFixed(0)} % of the raw loop; goal ≥ 1,000/s)` +
      `; lag p50 ${attemptLag.p50.toFixed(0)} ms / p99 ${attemptLag.p99.toFixed(0)} ms at ${EVENT_RATE} events/s (goal p99 < 100 ms)`,
  );

  await agent.close();
  await receiver.stop();
  await raw.end();
  await disconnectDb();
  await db.stop();
}

/** The data of a typical inventory.updated event, so bodies are realistically sized. */
function sampleData() {
  return {
    facility_code: "LON-01",
    unit_type_code: "10X10-CC",
    total: 120,
    available: 37,
    held: 4,
    booked: 61,
    occupied: 16,
    blocked: 2,
    inventory_version: 4812,
    cause: "booking.confirmed",
  };
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
