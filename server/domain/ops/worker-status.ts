import type { Db } from "../../db";

/** Every worker process beats this often (server/worker/run-worker.ts). */
export const WORKER_HEARTBEAT_INTERVAL_SECONDS = 15;
/**
 * A worker is taken for alive while its newest heartbeat is at most two intervals old, so
 * readiness fails within two intervals of the last worker stopping (docs/operations.md#health-and-metrics);
 * a worker that stops cleanly removes its row at once.
 */
export const WORKER_HEARTBEAT_MAX_AGE_SECONDS = 2 * WORKER_HEARTBEAT_INTERVAL_SECONDS;

export interface WorkerStatus {
  lastBeatAt: Date | null;
  /** seconds since the newest beat, by the database's clock */
  ageSeconds: number | null;
  alive: boolean;
}

export async function readWorkerStatus(db: Db): Promise<WorkerStatus> {
  const rows = await db.$queryRaw<{ last_beat_at: Date | null; age_seconds: number | null }[]>`
    select max(last_beat_at) as last_beat_at,
           extract(epoch from now() - max(last_beat_at))::float8 as age_seconds
    from worker_heartbeats`;
  const lastBeatAt = rows[0]?.last_beat_at ?? null;
  const ageSeconds = rows[0]?.age_seconds ?? null;
  return {
    lastBeatAt,
    ageSeconds: ageSeconds === null ? null : Math.max(0, ageSeconds),
    alive: ageSeconds !== null && ageSeconds <= WORKER_HEARTBEAT_MAX_AGE_SECONDS,
  };
}
