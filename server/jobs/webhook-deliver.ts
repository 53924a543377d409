import type { Task } from "graphile-worker";
import { z } from "zod";
import { deliverAttempt } from "../domain/webhooks/attempt-delivery";
import { BasePayload, jobCorrelationId, parsePayload } from "./context";

export const WEBHOOK_DELIVER = "webhook_deliver";

export const WebhookDeliverPayload = BasePayload.extend({
  deliveryId: z.string().regex(/^msg_[0-9a-z]{26}$/),
  trigger: z.enum(["SCHEDULED", "RETRY", "MANUAL_REPLAY", "BULK_REPLAY", "TEST"]),
  triggeredById: z.uuid().nullable().optional(),
});
export type WebhookDeliverPayload = z.infer<typeof WebhookDeliverPayload>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      webhook_deliver: WebhookDeliverPayload;
    }
  }
}

/**
 * One attempt at one delivery, now (replays enqueue this; the dispatcher does the
 * scheduled ones itself). A delivery another attempt holds fails the job, so
 * graphile-worker retries it shortly; a deleted endpoint's delivery is dropped. A rerun
 * after a crash makes one more attempt with the same webhook-id, which consumers dedupe.
 */
export const webhookDeliver: Task<"webhook_deliver"> = async (payload, helpers) => {
  const input = parsePayload(WebhookDeliverPayload, payload, helpers);
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
