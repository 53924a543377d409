import type { CronItem, Task } from "graphile-worker";
import { z } from "zod";
import { reconcileConfig } from "../config";
import { runReconciliation } from "../domain/reconciliation/run-reconciliation";
import { BasePayload, jobCorrelationId, parsePayload } from "./context";

export const RECONCILE = "reconcile";

export const ReconcilePayload = BasePayload.extend({
  /** a manual run queued by the console (startReconciliation); none = a scheduled run */
  runId: z.string().regex(/^rec_[0-9a-z]{26}$/).optional(),
});
export type ReconcilePayload = z.infer<typeof ReconcilePayload>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      reconcile: ReconcilePayload;
    }
  }
}

/**
 * Reconciliation (docs/domain.md#reconciliation-and-corrections): a queued manual run, or a
 * scheduled one that may also apply corrections within the tolerance. Idempotent: a
 * finished run is not run again, and drift found twice is not reported twice. When another
 * run holds the lock, a manual run's job fails and is retried (its run stays queued); a
 * scheduled one is recorded as given way.
 */
export const reconcile: Task<"reconcile"> = async (payload, helpers) => {
  const input = parsePayload(ReconcilePayload, payload, helpers);
  const correlationId = jobCorrelationId(input, helpers);
  const result = await runReconciliation(
    input.runId
      ? { runId: input.runId, correlationId }
      : { trigger: "SCHEDULED", autoCorrect: reconcileConfig().autoCorrect, correlationId },
  );
  helpers.logger.info(`Reconciliation ${result.runId}: ${result.discrepancyCount} discrepancies`, { correlationId, ...result.summary });
};

/** The schedule, from HOLDFAST_RECONCILE_CRON (server/config). */
export function reconcileCronItem(): CronItem {
  return {
    task: RECONCILE,
    identifier: RECONCILE,
    match: reconcileConfig().cron,
    // A late scheduled run is replaced by the next; never two waiting.
    options: { maxAttempts: 1, jobKey: "reconcile_scheduled", jobKeyMode: "replace" },
  };
}
