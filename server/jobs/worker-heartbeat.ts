import type { Task } from "graphile-worker";
import { recordWorkerHeartbeat } from "../domain/ops/worker-heartbeat";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { parsePayload, workerIdentity } from "./context";

/**
 * Upserts this process's heartbeat and prunes day-old ones of vanished workers.
 * Idempotent in effect: a repeat only moves last_beat_at forward and counts one more beat.
 */
export const workerHeartbeat: Task<typeof JOBS.workerHeartbeat> = async (payload, helpers) => {
  parsePayload(JOB_PAYLOADS[JOBS.workerHeartbeat], payload, helpers);
  const result = await recordWorkerHeartbeat(workerIdentity());
  helpers.logger.debug(`Heartbeat ${result.beats} recorded`, { workerId: workerIdentity().workerId, pruned: result.pruned });
};
