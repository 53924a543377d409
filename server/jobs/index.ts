import { parseCronItems, type CronItem, type ParsedCronItem, type Task, type TaskList } from "graphile-worker";
import { JOBS, type JobName } from "../domain/shared/jobs";
import { applyPaymentEventTask } from "./apply-payment-event";
import { catalogueImport, catalogueImportWatchdog } from "./catalogue-import";
import { cleanupApiRequestLog } from "./cleanup-api-request-log";
import { cleanupIdempotencyRecords } from "./cleanup-idempotency-records";
import { enforceRetentionTask } from "./enforce-retention";
import { evaluateAlertsTask } from "./evaluate-alerts";
import { INVENTORY_TICK_KEY, inventoryTick } from "./inventory-tick";
import { kpiRollup } from "./kpi-rollup";
import { reconcile, reconcileCronItem } from "./reconcile";
import { sendOperationalWebhooksTask } from "./send-operational-webhooks";
import { webhookMaintenance } from "./webhook-maintenance";
import { webhookReplay, webhookReplayWatchdog } from "./webhook-replay";
import { workerHeartbeat } from "./worker-heartbeat";

/**
 * Every task the worker runs, and its schedule. A new task: its name and payload schema
 * in JOBS and JOB_PAYLOADS (server/domain/shared/jobs.ts, which also types enqueueJob),
 * one file here exporting an idempotent Task, listed below (the type refuses a name
 * without a task). Times in the crontab are UTC.
 */

export const taskList: { [K in JobName]: Task<K> } & TaskList = {
  [JOBS.workerHeartbeat]: workerHeartbeat,
  [JOBS.cleanupIdempotencyRecords]: cleanupIdempotencyRecords,
  [JOBS.cleanupApiRequestLog]: cleanupApiRequestLog,
  [JOBS.enforceRetention]: enforceRetentionTask,
  [JOBS.inventoryTick]: inventoryTick,
  [JOBS.webhookMaintenance]: webhookMaintenance,
  [JOBS.webhookReplay]: webhookReplay,
  [JOBS.webhookReplayWatchdog]: webhookReplayWatchdog,
  [JOBS.applyPaymentEvent]: applyPaymentEventTask,
  [JOBS.kpiRollup]: kpiRollup,
  [JOBS.reconcile]: reconcile,
  [JOBS.evaluateAlerts]: evaluateAlertsTask,
  [JOBS.sendOperationalWebhooks]: sendOperationalWebhooksTask,
  [JOBS.catalogueImport]: catalogueImport,
  [JOBS.catalogueImportWatchdog]: catalogueImportWatchdog,
};

export const crontab: CronItem[] = [
  {
    // Restarts the few-seconds tick loop if it was lost; keeps a pending tick's time.
    task: JOBS.inventoryTick,
    identifier: JOBS.inventoryTick,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: INVENTORY_TICK_KEY, jobKeyMode: "preserve_run_at" },
  },
  {
    task: JOBS.workerHeartbeat,
    identifier: JOBS.workerHeartbeat,
    match: "* * * * *",
    // A late beat is worthless: no retries, and a newer beat replaces one still waiting.
    options: { maxAttempts: 1, jobKey: JOBS.workerHeartbeat, jobKeyMode: "replace" },
  },
  {
    task: JOBS.cleanupIdempotencyRecords,
    identifier: JOBS.cleanupIdempotencyRecords,
    match: "7 * * * *",
    options: { maxAttempts: 3, jobKey: JOBS.cleanupIdempotencyRecords },
  },
  {
    task: JOBS.webhookReplayWatchdog,
    identifier: JOBS.webhookReplayWatchdog,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: JOBS.webhookReplayWatchdog, jobKeyMode: "replace" },
  },
  {
    task: JOBS.catalogueImportWatchdog,
    identifier: JOBS.catalogueImportWatchdog,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: JOBS.catalogueImportWatchdog, jobKeyMode: "replace" },
  },
  {
    task: JOBS.webhookMaintenance,
    identifier: JOBS.webhookMaintenance,
    match: "27 * * * *",
    options: { maxAttempts: 3, jobKey: JOBS.webhookMaintenance },
  },
  {
    // KPI buckets every minute; one run at a time, a late one replaced by the next.
    task: JOBS.kpiRollup,
    identifier: JOBS.kpiRollup,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: JOBS.kpiRollup, jobKeyMode: "replace" },
  },
  {
    task: JOBS.cleanupApiRequestLog,
    identifier: JOBS.cleanupApiRequestLog,
    match: "17 3 * * *",
    options: { maxAttempts: 3, jobKey: JOBS.cleanupApiRequestLog },
  },
  {
    // Everything else that grows with traffic (docs/operations.md#data-retention), daily.
    task: JOBS.enforceRetention,
    identifier: JOBS.enforceRetention,
    match: "37 3 * * *",
    options: { maxAttempts: 3, jobKey: JOBS.enforceRetention },
  },
  reconcileCronItem(),
  {
    // Every alert rule once a minute; a late run is replaced by the next, never queued up.
    task: JOBS.evaluateAlerts,
    identifier: JOBS.evaluateAlerts,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: JOBS.evaluateAlerts, jobKeyMode: "replace" },
  },
  {
    // Retries of operational webhooks more than a minute away; new ones wake the job themselves.
    task: JOBS.sendOperationalWebhooks,
    identifier: JOBS.sendOperationalWebhooks,
    match: "* * * * *",
    options: { maxAttempts: 1, jobKey: JOBS.sendOperationalWebhooks, jobKeyMode: "replace" },
  },
];

export function parsedCronItems(): ParsedCronItem[] {
  return parseCronItems(crontab);
}
