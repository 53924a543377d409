import { z } from "zod";
import { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { notFound } from "@/server/domain/shared/errors";
import { deliverAttempt, type AttemptOptions } from "../delivery/attempt-delivery";
import {
  DELIVERY_ID,
  endpointDisabledError,
  findReplayTargets,
  inFlightError,
  toReplayOutcome,
  triggeredBy,
  type ReplayOutcome,
} from "./replay-access";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const ReplayDeliveryInput = z.object({ deliveryId: DELIVERY_ID }).strict();
export type ReplayDeliveryInput = z.input<typeof ReplayDeliveryInput>;

/** For tests: the HTTP sender and timeout the attempt uses. */
export type ReplayAttemptOptions = Pick<AttemptOptions, "sender" | "timeoutMs">;

/**
 * Replays one delivery now (docs/webhooks.md#replay, permission delivery.replay): one more
 * attempt, trigger MANUAL_REPLAY, recorded as triggered by the user, with the same
 * webhook-id (the event id) so the consumer dedupes it. Works whatever the delivery's
 * status: a DEAD one stays DEAD if the replay fails too, a RETRYING one keeps its schedule,
 * a SUCCEEDED one stays SUCCEEDED. The attempt row and its "delivery.replay" audit entry
 * (with the outcome) commit in one transaction, after the HTTP exchange — nothing is held
 * open while the partner answers.
 *
 * Refused: a delivery the actor may not see or of a deleted endpoint (NOT_FOUND), one
 * whose endpoint is disabled (CONFLICT: enable it first), one being attempted at this
 * moment (CONFLICT, reason in_flight).
 */
export async function replayDelivery(raw: ReplayDeliveryInput, actor: Actor, options: ReplayAttemptOptions = {}): Promise<ReplayOutcome> {
  const { deliveryId } = parseOrRefuse(ReplayDeliveryInput, raw);
  await authorize(actor, "delivery.replay");
  const [target] = await findReplayTargets(actor, Prisma.sql`d.id = ${deliveryId}`, 1);
  if (!target) throw notFound("Delivery", deliveryId);
  if (target.endpointStatus === "DISABLED") throw endpointDisabledError(target);
  const result = await deliverAttempt(deliveryId, {
    ...options,
    trigger: "MANUAL_REPLAY",
    triggeredById: triggeredBy(actor),
    correlationId: actor.correlationId,
    audit: {
      actor,
      action: "delivery.replay",
      facilityId: target.facilityId,
      metadata: { event_id: target.eventId, event_type: target.eventType, status_before: target.status, scope: "delivery" },
    },
  });
  if (result.kind === "in_flight") throw inFlightError(deliveryId);
  if (result.kind === "not_found") throw notFound("Delivery", deliveryId);
  return toReplayOutcome(result);
}
