import { z } from "zod";
import { getDb } from "../../../db";
import type { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import type { AttemptResult, DeliverAttemptResult } from "../delivery/attempt-delivery";
import { DELIVERY_FROM, deliveryWhere } from "../delivery/delivery-filter";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";

/**
 * What the replay services share: who may replay (docs/webhooks.md#replay — the console's
 * server actions check the same permissions first; a service called from elsewhere still
 * refuses), finding deliveries the actor may see (a delivery of another facility's event is
 * "not found" to a site manager), and the outcome a replay returns.
 */

export const DELIVERY_ID = z.string().regex(ID_PATTERN.msg, NOT_AN_ID.msg);
export const EVENT_ID = z.string().regex(ID_PATTERN.evt, NOT_AN_ID.evt);
export const ENDPOINT_ID = z.string().regex(ID_PATTERN.ep, NOT_AN_ID.ep);

/** The user an attempt is recorded as triggered by (attempts name users only). */
export function triggeredBy(actor: Actor): string | null {
  return actor.type === "USER" ? actor.id : null;
}

export interface ReplayTarget {
  id: string;
  endpointId: string;
  endpointStatus: "ACTIVE" | "DISABLED";
  endpointDisabledReason: string | null;
  eventId: string;
  eventType: string;
  facilityId: string | null;
  status: "PENDING" | "RETRYING" | "SUCCEEDED" | "DEAD";
}

/** Deliveries the actor may see, of live (not deleted) endpoints, matching `where`. */
export async function findReplayTargets(actor: Actor, where: Prisma.Sql, limit = 1000): Promise<ReplayTarget[]> {
  const rows = await getDb().$queryRaw<
    {
      id: string;
      endpoint_id: string;
      endpoint_status: "ACTIVE" | "DISABLED";
      disabled_reason: string | null;
      event_id: string;
      event_type: string;
      facility_id: string | null;
      status: ReplayTarget["status"];
    }[]
  >`
    SELECT d.id, d.endpoint_id, ep.status::text AS endpoint_status, ep.disabled_reason, d.event_id, e.type AS event_type,
           e.facility_id::text AS facility_id, d.status::text AS status
    FROM ${DELIVERY_FROM}
    WHERE ${deliveryWhere({}, actor)} AND ep.deleted_at IS NULL AND ${where}
    ORDER BY d.created_at, d.id
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    endpointStatus: r.endpoint_status,
    endpointDisabledReason: r.disabled_reason,
    eventId: r.event_id,
    eventType: r.event_type,
    facilityId: r.facility_id,
    status: r.status,
  }));
}

export function endpointDisabledError(target: ReplayTarget): DomainError {
  return new DomainError(
    "CONFLICT",
    `Webhook endpoint ${target.endpointId} is disabled${target.endpointDisabledReason ? ` (${target.endpointDisabledReason})` : ""}; enable it before replaying its deliveries.`,
    { endpoint_id: target.endpointId, endpoint_status: "disabled", delivery_id: target.id },
  );
}

export function inFlightError(deliveryId: string): DomainError {
  return new DomainError("CONFLICT", `Delivery ${deliveryId} is being attempted right now; try again in a few seconds.`, {
    delivery_id: deliveryId,
    reason: "in_flight",
  });
}

/** What one replayed delivery's new attempt did. */
export interface ReplayOutcome {
  deliveryId: string;
  eventId: string;
  endpointId: string;
  attemptNumber: number;
  success: boolean;
  responseStatus: number | null;
  failureClass: AttemptResult["failureClass"];
  durationMs: number;
  /** the delivery's status after the attempt */
  deliveryStatus: AttemptResult["deliveryStatus"];
  /** set when this attempt's answer (410 Gone, or a long failing span) disabled the endpoint */
  endpointDisabled: string | null;
}

export function toReplayOutcome(result: Extract<DeliverAttemptResult, { kind: "attempted" }>): ReplayOutcome {
  return {
    deliveryId: result.deliveryId,
    eventId: result.eventId,
    endpointId: result.endpointId,
    attemptNumber: result.attemptNumber,
    success: result.success,
    responseStatus: result.responseStatus,
    failureClass: result.failureClass,
    durationMs: result.durationMs,
    deliveryStatus: result.deliveryStatus,
    endpointDisabled: result.endpointDisabled,
  };
}
