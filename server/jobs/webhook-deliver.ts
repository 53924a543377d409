import type { Task } from "graphile-worker";
import { deliverAttempt } from "../domain/webhooks/attempt-delivery";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * One attempt at one delivery, now (replays enqueue this; the dispatcher does the
 * scheduled ones itself). A delivery another attempt holds fails the job, so
 * graphile-worker retries it shortly; a deleted endpoint's delivery is dropped. A rerun
 * after a crash makes one more attempt with the same webhook-id, which consumers dedupe.
 */
export const webhookDeliver: Task<typeof JOBS.webhookDeliver> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.webhookDeliver], payload, helpers);
  const correlationId = jobCorrelationId(input, helpers);
  const result = await deliverAttempt(input.deliveryId, {
    trigger: input.trigger,
    triggeredById: input.triggeredById ?? null,
    correlationId,
  });
  if (result.kind === "in_flight") throw new Error(`Delivery ${input.deliveryId} is being attempted already; trying again shortly.`);
  if (result.kind === "not_found") {
    helpers.logger.info(`Delivery ${input.deliveryId} no longer exists or its endpoint was deleted; nothing sent`, { correlationId });
    return;
  }
  helpers.logger.info(`Delivery ${input.deliveryId} attempt ${result.attemptNumber}: ${result.success ? "delivered" : result.failureClass}`, {
    correlationId,
    endpointId: result.endpointId,
    responseStatus: result.responseStatus,
  });
};
