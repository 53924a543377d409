import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, useOwnDatabase } from "@/test/factories";
import { getDb } from "@/server/db";
import { createHold } from "@/server/domain/bookings/create-hold";
import { renderMetrics } from "@/server/observability/metrics";
import { installWorkerSchema } from "@/server/worker/worker-schema";
import { readMetricsSnapshot } from "./metrics-snapshot";

// The gauges of docs/operations.md#health-and-metrics that the alert rules and the job
// queue feed: a database of its own, so the queue and the signals are this file's alone.
// (A long snapshot timeout: the 2 s one is for scrapes, not for a cold test database.)
let dropDatabase: () => Promise<void>;
beforeAll(async () => {
  dropDatabase = await useOwnDatabase("metrics_snapshot");
}, 120_000);
afterAll(() => dropDatabase());

describe("metrics snapshot: expiry lag, job queue, alert signals", () => {
  it("reports no job queue before graphile-worker's schema exists, and never fails the scrape for it", async () => {
    const snapshot = await readMetricsSnapshot({ timeoutMs: 30_000 });
    expect(snapshot.alerts!.jobQueue).toBeUndefined();
    expect(await renderMetrics(snapshot)).toContain("holdfast_metrics_snapshot_up 1");
  });

  it("exports the expiry lag per facility and the alert signal of an unreleased hold", async () => {
    const pool = await createFacilityWithPool();
    const partner = await createPartner();
    const before = await renderMetrics(await readMetricsSnapshot({ timeoutMs: 30_000 }));
    expect(before).toContain(`holdfast_hold_expiry_lag_seconds{facility="${pool.facilityCode}"} 0`);

    const held = await createHold(holdInput(pool), partner.actor);
    await getDb().booking.update({ where: { id: held.id }, data: { holdExpiresAt: new Date(Date.now() - 600_000) } });
    const snapshot = await readMetricsSnapshot({ timeoutMs: 30_000 });
    const lag = snapshot.alerts!.holdExpiryLag!.find((l) => l.facility === pool.facilityCode)!;
    expect(lag.seconds).toBeGreaterThanOrEqual(600);
    expect(lag.seconds).toBeLessThan(660);
    const text = await renderMetrics(snapshot);
    expect(text).toMatch(new RegExp(`^holdfast_hold_expiry_lag_seconds\\{facility="${pool.facilityCode}"\\} 6\\d\\d`, "m"));
    expect(text).toMatch(new RegExp(`^holdfast_alert_signal\\{rule="holds_past_expiry",subject_type="facility",subject="${pool.facilityId}",subject_label="${pool.facilityCode}",signal_severity=""\\} 6\\d\\d`, "m"));
  });

  it("exports the job queue's depth, the oldest due job's wait and the failed jobs, per task", async () => {
    await installWorkerSchema(process.env.DATABASE_URL!);
    const db = getDb();
    await db.$executeRaw`SELECT graphile_worker.add_job('metrics_probe', '{}'::json, run_at := now() - interval '120 seconds')`;
    await db.$executeRaw`SELECT graphile_worker.add_job('metrics_probe', '{}'::json)`;
    await db.$executeRaw`SELECT graphile_worker.add_job('metrics_probe', '{}'::json, run_at := now() + interval '1 hour')`;
    await db.$executeRaw`SELECT graphile_worker.add_job('metrics_dead', '{}'::json, max_attempts := 1)`;
    await db.$executeRaw`UPDATE graphile_worker._private_jobs SET attempts = 1, last_error = 'boom'
      WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'metrics_dead')`;

    const snapshot = await readMetricsSnapshot({ timeoutMs: 30_000 });
    const probe = snapshot.alerts!.jobQueue!.find((q) => q.task === "metrics_probe")!;
    expect(probe.ready).toBe(2); // the future one is not due
    expect(probe.oldestReadySeconds).toBeGreaterThanOrEqual(120);
    expect(probe.oldestReadySeconds).toBeLessThan(180);
    expect(probe.failed).toBe(0);
    expect(snapshot.alerts!.jobQueue!.find((q) => q.task === "metrics_dead")).toEqual({ task: "metrics_dead", ready: 0, oldestReadySeconds: 0, failed: 1 });
    const text = await renderMetrics(snapshot);
    expect(text).toContain('holdfast_job_queue_depth{task="metrics_probe"} 2');
    expect(text).toMatch(/^holdfast_job_queue_oldest_seconds\{task="metrics_probe"\} 1[2-7]\d/m);
    expect(text).toContain('holdfast_jobs_failed{task="metrics_dead"} 1');
  });
});
