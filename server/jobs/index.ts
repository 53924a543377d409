import { parseCronItems, type CronItem, type ParsedCronItem, type TaskList } from "graphile-worker";
import { APPLY_PAYMENT_EVENT, applyPaymentEventTask } from "./apply-payment-event";
import { CLEANUP_API_REQUEST_LOG, cleanupApiRequestLog } from "./cleanup-api-request-log";
import { CLEANUP_IDEMPOTENCY_RECORDS, cleanupIdempotencyRecords } from "./cleanup-idempotency-records";
import { INVENTORY_TICK, INVENTORY_TICK_KEY, inventoryTick } from "./inventory-tick";
import { KPI_ROLLUP, kpiRollup } from "./kpi-rollup";
import { RECONCILE, reconcile, reconcileCronItem } from "./reconcile";
import { WEBHOOK_MAINTENANCE, webhookMaintenance } from "./webhook-maintenance";
import { WEBHOOK_REPLAY, WEBHOOK_REPLAY_WATCHDOG, webhookReplay, webhookReplayWatchdog } from "./webhook-replay";
import { WORKER_HEARTBEAT, workerHeartbeat } from "./worker-heartbeat";

/**
 * Every task the worker runs, and its schedule. A new task: one file here exporting its
 * name, its payload type (added to GraphileWorker.Tasks, which types enqueueJob) and an
 * idempotent Task; then list it below. Times in the crontab are UTC.
 */

export const taskList: TaskList = {
  [WORKER_HEARTBEAT]: workerHeartbeat,
  [CLEANUP_IDEMPOTENCY_RECORDS]: cleanupIdempotencyRecords,
  [CLEANUP_API_REQUEST_LOG]: cleanupApiRequestLog,
  [INVENTORY_TICK]: inventoryTick,
  [WEBHOOK_MAINTENANCE]: webhookMaintenance,
  [WEBHOOK_REPLAY]: webhookReplay,
  [WEBHOOK_REPLAY_WATCHDOG]: webhookReplayWatchdog,
  [APPLY_PAYMENT_EVENT]: applyPaymentEventTask,
  [KPI_ROLLUP]: kpiRollup,
  [RECONCILE]: reconcile,
};

export const crontab: CronItem[] = [
  {
    // Restarts the few-seconds tick loop if it was lost; keeps a pending tick's time.
    task: INVENTORY_TICK,
    identifier: INVENTORY_TICK,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: INVENTORY_TICK_KEY, jobKeyMode: "preserve_run_at" },
  },
  {
    task: WORKER_HEARTBEAT,
    identifier: WORKER_HEARTBEAT,
    match: "* * * * *",
    // A late beat is worthless: no retries, and a newer beat replaces one still waiting.
    options: { maxAttempts: 1, jobKey: WORKER_HEARTBEAT, jobKeyMode: "replace" },
  },
  {
    task: CLEANUP_IDEMPOTENCY_RECORDS,
    identifier: CLEANUP_IDEMPOTENCY_RECORDS,
    match: "7 * * * *",
    options: { maxAttempts: 3, jobKey: CLEANUP_IDEMPOTENCY_RECORDS },
  },
  {
    task: WEBHOOK_REPLAY_WATCHDOG,
    identifier: WEBHOOK_REPLAY_WATCHDOG,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: WEBHOOK_REPLAY_WATCHDOG, jobKeyMode: "replace" },
  },
  {
    task: WEBHOOK_MAINTENANCE,
    identifier: WEBHOOK_MAINTENANCE,
    match: "27 * * * *",
    options: { maxAttempts: 3, jobKey: WEBHOOK_MAINTENANCE },
  },
  {
    // KPI buckets every minute; one run at a time, a late one replaced by the next.
    task: KPI_ROLLUP,
    identifier: KPI_ROLLUP,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: KPI_ROLLUP, jobKeyMode: "replace" },
  },
  {
    task: CLEANUP_API_REQUEST_LOG,
    identifier: CLEANUP_API_REQUEST_LOG,
    match: "17 3 * * *",
    options: { maxAttempts: 3, jobKey: CLEANUP_API_REQUEST_LOG },
  },
  reconcileCronItem(),
];

export function parsedCronItems(): ParsedCronItem[] {
  return parseCronItems(crontab);
}

export { WORKER_HEARTBEAT, CLEANUP_IDEMPOTENCY_RECORDS, CLEANUP_API_REQUEST_LOG, INVENTORY_TICK, WEBHOOK_MAINTENANCE };
export { enqueueJob, installWorkerSchema, type EnqueueOptions, type TaskName } from "./enqueue";
