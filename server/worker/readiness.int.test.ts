import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useOwnDatabase } from "../../test/factories";
import { configure } from "../config";
import { getDb } from "../db";
import { checkReadiness } from "../domain/ops/readiness";
import { WORKER_HEARTBEAT_INTERVAL_SECONDS } from "../domain/ops/worker-status";
import { startWorker } from "./run-worker";
import { installWorkerSchema } from "./worker-schema";

/**
 * Readiness follows the workers (docs/operations.md#health-and-metrics): it fails within
 * two heartbeat intervals of the last worker stopping — at once when it stops cleanly, by
 * the age of its last beat when it is killed. A database of its own: no other file's
 * workers may beat here.
 */

let dropDatabase: () => Promise<void>;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("readiness");
  await installWorkerSchema(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await dropDatabase();
});

async function backdatedBeat(workerId: string, secondsAgo: number) {
  await getDb().$executeRaw`
    insert into worker_heartbeats (worker_id, hostname, pid, started_at, last_beat_at, beats)
    values (${workerId}, 'test', 1, now() - interval '1 hour', now() - make_interval(secs => ${secondsAgo}), 1)`;
}

describe("readiness and the worker", () => {
  it("is ok while a worker runs, and fails as soon as it stops cleanly", async () => {
    expect((await checkReadiness()).checks.worker).toMatchObject({ ok: false, last_beat_at: null });
    const worker = await startWorker({ databaseUrl: process.env.DATABASE_URL!, concurrency: 1, log: pino({ level: "silent" }), webhooks: false });
    try {
      expect(await checkReadiness()).toMatchObject({ status: "ok" });
    } finally {
      await worker.stop();
    }
    expect(await checkReadiness()).toMatchObject({ status: "unavailable", checks: { worker: { ok: false } } });
  });

  it("a killed worker (no clean stop) fails readiness once its last beat is two intervals old", async () => {
    const interval = WORKER_HEARTBEAT_INTERVAL_SECONDS;
    await backdatedBeat("killed:recent", 2 * interval - 5);
    expect(await checkReadiness()).toMatchObject({ status: "ok" });
    await getDb().$executeRaw`delete from worker_heartbeats`;
    await backdatedBeat("killed:stale", 2 * interval + 1);
    expect(await checkReadiness()).toMatchObject({ status: "unavailable", checks: { worker: { ok: false } } });
    // and 2 intervals is well under the minute the old, cron-only heartbeat allowed three times over
    expect(2 * interval).toBeLessThanOrEqual(30);
  });

  it("under npm start, a process in a crash loop fails readiness; one restarted and up again does not", async () => {
    const worker = await startWorker({ databaseUrl: process.env.DATABASE_URL!, concurrency: 1, log: pino({ level: "silent" }), webhooks: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-readiness-"));
    const file = path.join(dir, "supervisor.json");
    const undo = configure({ HOLDFAST_SUPERVISOR_STATE: file });
    const write = (crashLoop: boolean) =>
      fs.writeFileSync(file, JSON.stringify({ processes: { "web server": { restarts: 0, crash_loop: false }, worker: { restarts: 6, crash_loop: crashLoop } } }));
    try {
      write(false);
      expect(await checkReadiness()).toMatchObject({ status: "ok", checks: { processes: { ok: true, restarts: { worker: 6 } } } });
      write(true);
      expect(await checkReadiness()).toMatchObject({ status: "unavailable", checks: { processes: { ok: false, crash_loop: ["worker"] } } });
    } finally {
      undo();
      await worker.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
