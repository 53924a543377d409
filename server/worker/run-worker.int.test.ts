import crypto from "node:crypto";
import type { JobHelpers } from "graphile-worker";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../db";
import { checkReadiness } from "../domain/ops/readiness";
import { JOBS } from "../domain/shared/jobs";
import { enqueueJob, type TaskName } from "../domain/shared/enqueue";
import { installWorkerSchema } from "./worker-schema";
import { workerIdentity } from "../jobs/context";
import { startWorker, type RunningWorker } from "./run-worker";

// A task only this test knows: it records the markers of the jobs it ran.
const PROBE = "holdfast_test_probe" as TaskName;
const ran: string[] = [];
const probe = async (payload: unknown, _helpers: JobHelpers) => {
  ran.push((payload as { marker: string }).marker);
};

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const databaseUrl = process.env.DATABASE_URL!;
let worker: RunningWorker;

beforeAll(async () => {
  await installWorkerSchema(databaseUrl);
  worker = await startWorker({
    databaseUrl,
    concurrency: 2,
    log: pino({ level: "silent" }),
    tasks: { [PROBE]: probe },
  });
});

afterAll(async () => {
  await worker?.stop();
  await disconnectDb();
});

describe("worker", () => {
  it("records its heartbeat at start, and again when the heartbeat job runs", async () => {
    const db = getDb();
    const first = await db.workerHeartbeat.findUnique({ where: { workerId: worker.workerId } });
    expect(first).toMatchObject({ workerId: workerIdentity().workerId, pid: process.pid });
    expect(first!.beats).toBeGreaterThanOrEqual(1);
    expect(Math.abs(first!.lastBeatAt.getTime() - Date.now())).toBeLessThan(60_000);

    await enqueueJob(db, JOBS.workerHeartbeat, {});
    const later = await eventually(
      () => db.workerHeartbeat.findUniqueOrThrow({ where: { workerId: worker.workerId } }),
      (row) => row.beats > first!.beats,
    );
    expect(later.beats).toBeGreaterThan(first!.beats);

    const readiness = await checkReadiness();
    expect(readiness.status).toBe("ok");
    expect(readiness.checks.worker.ok).toBe(true);
  });

  it("prunes heartbeats of workers gone for more than a day", async () => {
    const db = getDb();
    const gone = `gone:${crypto.randomUUID()}`;
    const recent = `recent:${crypto.randomUUID()}`;
    const old = new Date(Date.now() - 25 * 3600_000);
    await db.workerHeartbeat.createMany({
      data: [
        { workerId: gone, hostname: "h", pid: 1, startedAt: old, lastBeatAt: old, beats: 3 },
        { workerId: recent, hostname: "h", pid: 2, startedAt: old, lastBeatAt: new Date(Date.now() - 3600_000), beats: 3 },
      ],
    });
    await enqueueJob(db, JOBS.workerHeartbeat, {});
    await eventually(() => db.workerHeartbeat.findUnique({ where: { workerId: gone } }), (row) => row === null);
    expect(await db.workerHeartbeat.findUnique({ where: { workerId: gone } })).toBeNull();
    expect(await db.workerHeartbeat.findUnique({ where: { workerId: recent } })).not.toBeNull();
  });

  it("runs a job enqueued in a committed transaction, never one from a rolled-back transaction", async () => {
    const db = getDb();
    const rolledBack = `rolled-back-${crypto.randomUUID()}`;
    const committed = `committed-${crypto.randomUUID()}`;

    await expect(
      db.$transaction(async (tx) => {
        await enqueueJob(tx, PROBE, { marker: rolledBack } as never);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");

    await db.$transaction(async (tx) => {
      await enqueueJob(tx, PROBE, { marker: committed } as never);
      // Not visible to the worker before commit.
      await new Promise((r) => setTimeout(r, 300));
      expect(ran).not.toContain(committed);
    });

    await eventually(async () => ran, (markers) => markers.includes(committed));
    expect(ran).toContain(committed);
    expect(ran).not.toContain(rolledBack);
    // graphile-worker's public view hides payloads; its private table has them. The worker
    // deletes a job's row after its task returns, so on a busy machine the row may still be
    // there a moment after the marker was seen: wait for it to go.
    const leftovers = await eventually(
      async () => (await db.$queryRaw<{ n: number }[]>`
        select count(*)::int as n from graphile_worker._private_jobs where payload->>'marker' in (${rolledBack}, ${committed})`)[0]!.n,
      (n) => n === 0,
    );
    expect(leftovers).toBe(0);
  });

  it("honours runAt and jobKey", async () => {
    const db = getDb();
    const key = `probe-${crypto.randomUUID()}`;
    const later = new Date(Date.now() + 3600_000);
    await enqueueJob(db, PROBE, { marker: "first" } as never, { jobKey: key, runAt: later });
    await enqueueJob(db, PROBE, { marker: "second" } as never, { jobKey: key, runAt: later, maxAttempts: 2 });
    const rows = await db.$queryRaw<{ payload: { marker: string }; run_at: Date; max_attempts: number }[]>`
      select payload, run_at, max_attempts from graphile_worker._private_jobs where key = ${key}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ payload: { marker: "second" }, max_attempts: 2 });
    expect(Math.abs(new Date(rows[0]!.run_at).getTime() - later.getTime())).toBeLessThan(1000);
    await db.$executeRaw`select graphile_worker.remove_job(${key})`;
  });

  it("deletes only expired idempotency records when the cleanup job runs", async () => {
    const db = getDb();
    const partner = await db.partner.create({
      data: { code: `T-${crypto.randomUUID().slice(0, 8)}`, name: "Test partner", kind: "OTHER" },
    });
    const record = (key: string, expiresAt: Date) => ({
      partnerId: partner.id,
      key,
      fingerprint: "f",
      method: "POST",
      path: "/api/v1/bookings",
      state: "COMPLETED" as const,
      expiresAt,
    });
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3600_000);
    await db.idempotencyRecord.createMany({
      data: [
        ...Array.from({ length: 5 }, (_, i) => record(`expired-${i}`, past)),
        record("live-1", future),
        record("live-2", future),
      ],
    });

    // batchSize 2: five expired rows take three batches.
    await enqueueJob(db, JOBS.cleanupIdempotencyRecords, { batchSize: 2 });
    const left = await eventually(
      () => db.idempotencyRecord.findMany({ where: { partnerId: partner.id }, orderBy: { key: "asc" } }),
      (rows) => rows.length === 2,
    );
    expect(left.map((r) => r.key)).toEqual(["live-1", "live-2"]);
  });

  it("on stop, fails a job that outlives the shutdown timeout so it is retried later", async () => {
    const db = getDb();
    const STUCK = "holdfast_test_stuck" as TaskName;
    let started = false;
    const stuckWorker = await startWorker({
      databaseUrl,
      log: pino({ level: "silent" }),
      shutdownTimeoutMs: 300,
      tasks: {
        [STUCK]: () => {
          started = true;
          return new Promise<void>(() => undefined); // ignores its abort signal
        },
      },
    });
    const key = `stuck-${crypto.randomUUID()}`;
    await enqueueJob(db, STUCK, {} as never, { jobKey: key });
    await eventually(async () => started, Boolean);
    expect(started).toBe(true);

    const begun = performance.now();
    await stuckWorker.stop();
    expect(performance.now() - begun).toBeLessThan(3000);
    const [job] = await db.$queryRaw<{ attempts: number; locked_at: Date | null; last_error: string | null }[]>`
      select attempts, locked_at, last_error from graphile_worker.jobs where key = ${key}`;
    expect(job).toMatchObject({ attempts: 1, locked_at: null });
    expect(job!.last_error).toBeTruthy();
    await db.$executeRaw`select graphile_worker.remove_job(${key})`;
  });

  it("stops promptly", async () => {
    const other = await startWorker({ databaseUrl, log: pino({ level: "silent" }) });
    const started = performance.now();
    await other.stop();
    expect(performance.now() - started).toBeLessThan(2000);
    await other.done; // settled, not rejected
    await other.stop(); // idempotent
  });
});
