import type { Task } from "graphile-worker";
import { config } from "../config";
import { expireAllDue } from "../domain/bookings/expire-holds";
import { endDueBlocks } from "../domain/inventory/end-due-blocks";
import { startDueBlocks } from "../domain/inventory/start-due-blocks";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/** one pending tick at a time, cluster-wide */
export const INVENTORY_TICK_KEY = JOBS.inventoryTick;

/**
 * Every few seconds: release expired holds in bulk (HOLDFAST_EXPIRY_LANES transactions side by side), start scheduled maintenance blocks
 * that are due and end those whose time is up; then schedule the next tick (one pending
 * tick per cluster, by job key). A cron entry each minute restarts the loop if a tick was
 * lost. Each step is idempotent: a rerun finds less or nothing to do.
 */
export const inventoryTick: Task<typeof JOBS.inventoryTick> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.inventoryTick], payload, helpers);
  const correlationId = jobCorrelationId(input, helpers);
  try {
    const expired = await expireAllDue({ lanes: config().worker.expiryLanes, correlationId, signal: helpers.abortSignal });
    const started = await startDueBlocks({ correlationId });
    const ended = await endDueBlocks({ correlationId });
    if (expired || started.started || started.moved || ended.ended || started.failed || ended.failed) {
      helpers.logger.info("inventory tick", { correlationId, expired, ...started, ended: ended.ended, endFailed: ended.failed });
    }
  } finally {
    if (!helpers.abortSignal?.aborted) {
      await helpers.addJob(JOBS.inventoryTick, {}, {
        runAt: new Date(Date.now() + config().worker.tickIntervalMs),
        jobKey: INVENTORY_TICK_KEY,
        jobKeyMode: "preserve_run_at",
        maxAttempts: 1,
      });
    }
  }
};
