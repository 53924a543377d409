import type { Task } from "graphile-worker";
import { config } from "../config";
import { expireHolds } from "../domain/bookings/expire-holds";
import { endDueBlocks } from "../domain/inventory/end-due-blocks";
import { startDueBlocks } from "../domain/inventory/start-due-blocks";
import { BasePayload, jobCorrelationId, jobDb, parsePayload } from "./context";
import { enqueueJob } from "./enqueue";

export const INVENTORY_TICK = "inventory_tick";
/** one pending tick at a time, cluster-wide */
export const INVENTORY_TICK_KEY = "inventory_tick";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      inventory_tick: BasePayload;
    }
  }
}

const BATCH = 200;

/**
 * Every few seconds: release expired holds in bulk, start scheduled maintenance blocks
 * that are due and end those whose time is up; then schedule the next tick (one pending
 * tick per cluster, by job key). A cron entry each minute restarts the loop if a tick was
 * lost. Each step is idempotent: a rerun finds less or nothing to do.
 */
export const inventoryTick: Task<"inventory_tick"> = async (payload, helpers) => {
  const input = parsePayload(BasePayload, payload, helpers);
  const correlationId = jobCorrelationId(input, helpers);
  try {
    let expired = 0;
    for (let n = BATCH; n === BATCH && !helpers.abortSignal?.aborted; ) {
      n = await expireHolds({ limit: BATCH, correlationId });
      expired += n;
    }
    const started = await startDueBlocks({ correlationId });
    const ended = await endDueBlocks({ correlationId });
    if (expired || started.started || started.moved || ended.ended || started.failed || ended.failed) {
      helpers.logger.info("inventory tick", { correlationId, expired, ...started, ended: ended.ended, endFailed: ended.failed });
    }
  } finally {
    if (!helpers.abortSignal?.aborted) {
      await enqueueJob(jobDb(), INVENTORY_TICK, {}, {
        runAt: new Date(Date.now() + config().worker.tickIntervalMs),
        jobKey: INVENTORY_TICK_KEY,
        jobKeyMode: "preserve_run_at",
        maxAttempts: 1,
      });
    }
  }
};
