import type { Task } from "graphile-worker";
import { recordWorkerHeartbeat } from "../domain/ops/worker-heartbeat";
import { BasePayload, parsePayload, workerIdentity } from "./context";

export const WORKER_HEARTBEAT = "worker_heartbeat";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      worker_heartbeat: BasePayload;
    }
  }
}

/**
 * Upserts this process's heartbeat and prunes day-old ones of vanished workers.
 * Idempotent in effect: a repeat only moves last_beat_at forward and counts one more beat.
 */
export const workerHeartbeat: Task<"worker_heartbeat"> = async (payload, helpers) => {
  parsePayload(BasePayload, payload, helpers);
  const result = await recordWorkerHeartbeat(workerIdentity());
  helpers.logger.debug(`Heartbeat ${result.beats} recorded`, { workerId: workerIdentity().workerId, pruned: result.pruned });
};
