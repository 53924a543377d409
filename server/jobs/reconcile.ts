import type { CronItem, Task } from "graphile-worker";
import { reconcileConfig } from "../config";
import { runReconciliation } from "../domain/reconciliation/run-reconciliation";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * Reconciliation (docs/domain.md#reconciliation-and-corrections): a queued manual run, or a
 * scheduled one that may also apply corrections within the tolerance. Idempotent: a
 * finished run is not run again, and drift found twice is not reported twice. When another
 * run holds the lock, a manual run's job fails and is retried (its run stays queued); a
 * scheduled one is recorded as given way.
 */
export const reconcile: Task<typeof JOBS.reconcile> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.reconcile], payload, helpers);
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
    task: JOBS.reconcile,
    identifier: JOBS.reconcile,
    match: reconcileConfig().cron,
    // A late scheduled run is replaced by the next; never two waiting.
    options: { maxAttempts: 1, jobKey: "reconcile_scheduled", jobKeyMode: "replace" },
  };
}
