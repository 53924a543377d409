import type { Task } from "graphile-worker";
import { sendDueOperationalWebhooks } from "../domain/operational-webhooks/send-operational-webhooks";
import { systemActor } from "../domain/shared/actor";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/** A retry due within this is waited for by a successor job; later ones by the minute's cron run. */
const SUCCESSOR_HORIZON_MS = 60_000;

/**
 * Sends the operational webhooks that are due (docs/operations.md#operational-webhooks):
 * woken by the transaction that enqueued them, by its own successor when a retry comes
 * due within the minute, and by cron every minute. Idempotent: deliveries are leased, so
 * a rerun or a second worker finds nothing more to send.
 */
export const sendOperationalWebhooksTask: Task<typeof JOBS.sendOperationalWebhooks> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.sendOperationalWebhooks], payload, helpers);
  const correlationId = jobCorrelationId(input, helpers);
  const result = await sendDueOperationalWebhooks(systemActor(JOBS.sendOperationalWebhooks, correlationId));
  const failed = result.attempts.filter((a) => !a.success).length;
  if (result.attempts.length) helpers.logger.info(`Operational webhooks: ${result.attempts.length} attempt(s), ${failed} failed`, { correlationId });
  if (result.nextDueAt && result.nextDueAt.getTime() - Date.now() < SUCCESSOR_HORIZON_MS) {
    await helpers.addJob(
      JOBS.sendOperationalWebhooks,
      { correlationId },
      { runAt: result.nextDueAt, jobKey: JOBS.sendOperationalWebhooks, jobKeyMode: "preserve_run_at", maxAttempts: 1 },
    );
  }
};
