import crypto from "node:crypto";
import os from "node:os";
import { getDb } from "../../db";

/**
 * Worker liveness: each worker process upserts its row in worker_heartbeats (at start,
 * every WORKER_HEARTBEAT_INTERVAL_SECONDS from a timer of its own, and from the per-minute
 * cron job), and deletes it when it stops cleanly. The console and /api/health read the newest beat.
 * Times come from the database's clock, so hosts with skewed clocks still agree.
 */

const HEARTBEAT_RETENTION = "1 day";

export interface WorkerIdentity {
  /** hostname:pid:random */
  workerId: string;
  hostname: string;
  pid: number;
  startedAt: Date;
}

export function newWorkerIdentity(): WorkerIdentity {
  const hostname = os.hostname();
  return {
    workerId: `${hostname}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`,
    hostname,
    pid: process.pid,
    startedAt: new Date(),
  };
}

export interface HeartbeatResult {
  beats: number;
  lastBeatAt: Date;
  /** heartbeats of other workers removed for being older than a day */
  pruned: number;
}

export async function recordWorkerHeartbeat(identity: WorkerIdentity): Promise<HeartbeatResult> {
  const db = getDb();
  const rows = await db.$queryRaw<{ beats: number; last_beat_at: Date }[]>`
    insert into worker_heartbeats (worker_id, hostname, pid, started_at, last_beat_at, beats)
    values (${identity.workerId}, ${identity.hostname}, ${identity.pid}::int, ${identity.startedAt}::timestamptz, now(), 1)
    on conflict (worker_id) do update
      set last_beat_at = now(), beats = worker_heartbeats.beats + 1
    returning beats, last_beat_at`;
  const row = rows[0]!;
  const pruned = await db.$executeRaw`
    delete from worker_heartbeats where last_beat_at < now() - ${HEARTBEAT_RETENTION}::interval`;
  return { beats: Number(row.beats), lastBeatAt: row.last_beat_at, pruned };
}

/** A worker stopping cleanly takes its row away, so readiness does not wait for it to age. */
export async function removeWorkerHeartbeat(identity: WorkerIdentity): Promise<void> {
  await getDb().$executeRaw`delete from worker_heartbeats where worker_id = ${identity.workerId}`;
}
