import { z } from "zod";
import { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { notFound } from "@/server/domain/shared/errors";
import { deliverAttempt } from "../delivery/attempt-delivery";
import { EVENT_ID, findReplayTargets, toReplayOutcome, triggeredBy, type ReplayOutcome } from "./replay-access";
import type { ReplayAttemptOptions } from "./replay-delivery";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const ReplayEventInput = z.object({ eventId: EVENT_ID }).strict();
export type ReplayEventInput = z.input<typeof ReplayEventInput>;

export type EventReplayItem =
  | ({ kind: "attempted" } & ReplayOutcome)
  | { kind: "skipped"; deliveryId: string; endpointId: string; reason: "endpoint_disabled" | "in_flight" | "not_found" };

export interface EventReplayResult {
  eventId: string;
  attempted: number;
  succeeded: number;
  skipped: number;
  items: EventReplayItem[];
}

/**
 * Replays every delivery of one event (permission delivery.bulk_replay): one attempt per
 * subscribed endpoint, now, side by side (an event has a delivery per endpoint, a
 * handful). Trigger MANUAL_REPLAY, same webhook-id; each attempt commits with its own
 * "delivery.replay" audit entry. Deliveries to a disabled endpoint, or being attempted
 * at this moment, are skipped and reported as such. An event the actor may not see, or
 * with no deliveries, is NOT_FOUND.
 */
export async function replayEvent(raw: ReplayEventInput, actor: Actor, options: ReplayAttemptOptions = {}): Promise<EventReplayResult> {
  const { eventId } = parseOrRefuse(ReplayEventInput, raw);
  await authorize(actor, "delivery.bulk_replay");
  const targets = await findReplayTargets(actor, Prisma.sql`d.event_id = ${eventId}`);
  if (!targets.length) throw notFound("Deliveries of event", eventId);
  const items = await Promise.all(
    targets.map(async (target): Promise<EventReplayItem> => {
      const skipped = (reason: "endpoint_disabled" | "in_flight" | "not_found") =>
        ({ kind: "skipped", deliveryId: target.id, endpointId: target.endpointId, reason }) as const;
      if (target.endpointStatus === "DISABLED") return skipped("endpoint_disabled");
      const result = await deliverAttempt(target.id, {
        ...options,
        trigger: "MANUAL_REPLAY",
        triggeredById: triggeredBy(actor),
        correlationId: actor.correlationId,
        audit: {
          actor,
          action: "delivery.replay",
          facilityId: target.facilityId,
          metadata: { event_id: eventId, event_type: target.eventType, status_before: target.status, scope: "event" },
        },
      });
      if (result.kind !== "attempted") return skipped(result.kind);
      return { kind: "attempted", ...toReplayOutcome(result) };
    }),
  );
  const attempted = items.filter((i) => i.kind === "attempted");
  return {
    eventId,
    attempted: attempted.length,
    succeeded: attempted.filter((i) => i.success).length,
    skipped: items.length - attempted.length,
    items,
  };
}
