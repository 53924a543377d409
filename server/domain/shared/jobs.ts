import { z } from "zod";
import { ID_PATTERN } from "@/shared/ids";

/**
 * Every job the worker runs, declared once (docs/conventions.md#jobs): its name and the
 * schema of its payload. Services enqueue by `JOBS.<name>` (enqueueJob is typed from
 * here), tasks parse with `JOB_PAYLOADS[<name>]`, and server/jobs/index.ts must list a
 * task for every name.
 */

/** Fields any job payload may carry; cron adds `_cron`. */
export const BasePayload = z.looseObject({
  correlationId: z.string().optional(),
  _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).optional(),
});
export type BasePayload = z.infer<typeof BasePayload>;

/** Payload of the retention jobs: the batch size may be lowered (tests, a struggling database). */
const CleanupPayload = BasePayload.extend({
  batchSize: z.number().int().min(1).max(10_000).optional(),
});

export const JOBS = {
  workerHeartbeat: "worker_heartbeat",
  cleanupIdempotencyRecords: "cleanup_idempotency_records",
  cleanupApiRequestLog: "cleanup_api_request_log",
  enforceRetention: "enforce_retention",
  inventoryTick: "inventory_tick",
  webhookMaintenance: "webhook_maintenance",
  webhookReplay: "webhook_replay",
  webhookReplayWatchdog: "webhook_replay_watchdog",
  applyPaymentEvent: "apply_payment_event",
  kpiRollup: "kpi_rollup",
  reconcile: "reconcile",
  evaluateAlerts: "evaluate_alerts",
  sendOperationalWebhooks: "send_operational_webhooks",
  catalogueImport: "catalogue_import",
  catalogueImportWatchdog: "catalogue_import_watchdog",
} as const;

export type JobName = (typeof JOBS)[keyof typeof JOBS];

export const JOB_PAYLOADS = {
  [JOBS.workerHeartbeat]: BasePayload,
  [JOBS.cleanupIdempotencyRecords]: CleanupPayload,
  [JOBS.cleanupApiRequestLog]: CleanupPayload,
  /** every retention rule of docs/operations.md#data-retention */
  [JOBS.enforceRetention]: CleanupPayload,
  [JOBS.inventoryTick]: BasePayload,
  [JOBS.webhookMaintenance]: BasePayload,
  /** one bulk replay (replay_jobs.id) */
  [JOBS.webhookReplay]: BasePayload.extend({ jobId: z.uuid() }),
  [JOBS.webhookReplayWatchdog]: BasePayload,
  /** inbound_webhook_events.id: the provider's webhook-id */
  [JOBS.applyPaymentEvent]: BasePayload.extend({ inboundEventId: z.string().min(1).max(255) }),
  [JOBS.kpiRollup]: BasePayload,
  [JOBS.reconcile]: BasePayload.extend({
    /** a manual run queued by the console (startReconciliation); none = a scheduled run */
    runId: z
      .string()
      .regex(ID_PATTERN.rec)
      .optional(),
  }),
  /** every alert rule, then the notifications of what changed (docs/operations.md#alerts-and-incidents) */
  [JOBS.evaluateAlerts]: BasePayload,
  /** due operational webhooks (docs/operations.md#operational-webhooks) */
  [JOBS.sendOperationalWebhooks]: BasePayload,
  /** one catalogue import (catalogue_imports.id): plan it, apply it (docs/domain.md#catalogue-imports) */
  [JOBS.catalogueImport]: BasePayload.extend({ importId: z.string().regex(ID_PATTERN.imp) }),
  [JOBS.catalogueImportWatchdog]: BasePayload,
} as const satisfies Record<JobName, z.ZodType>;

/** What a job is given, as enqueued (before defaults). */
export type JobPayloads = { [K in JobName]: z.input<(typeof JOB_PAYLOADS)[K]> };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the registry is filled from JobPayloads
    interface Tasks extends JobPayloads {}
  }
}
