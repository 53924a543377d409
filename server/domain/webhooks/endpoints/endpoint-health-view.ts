import { z } from "zod";
import { getDb } from "../../../db";
import { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { inScope, scopeSql } from "@/server/domain/shared/facility-scope";
import {
  getWebhookEndpoint,
  measureEndpointHealth,
  withHealth,
  type WebhookEndpointSummary,
  type WebhookEndpointWithHealth,
} from "./get-webhook-endpoint";
import { listWebhookEndpoints } from "./list-webhook-endpoints";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";

/**
 * Endpoints with their health as the console shows them. Endpoints belong to partners,
 * not facilities, so every console reader sees them; but what the health names of
 * deliveries — the oldest undelivered event, the pending and dead counts, the pools'
 * acknowledged versions — is limited to a site manager's facilities, like the delivery
 * log itself.
 */

export const EndpointIdInput = z.object({ endpointId: z.string().trim().regex(ID_PATTERN.ep, NOT_AN_ID.ep) }).strict();

const MAX_ENDPOINTS = 100;

async function scopeHealth(endpoint: WebhookEndpointWithHealth, actor: Actor, now: Date): Promise<WebhookEndpointWithHealth> {
  // Every facility: the health as computed for the endpoint already.
  if (actor.facilityIds === null) return endpoint;
  const db = getDb();
  const [counts, oldest, pools] = await Promise.all([
    db.$queryRaw<{ pending: number; dead: number }[]>`
      SELECT count(*) FILTER (WHERE d.status IN ('PENDING', 'RETRYING'))::int AS pending,
             count(*) FILTER (WHERE d.status = 'DEAD')::int AS dead
      FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.endpoint_id = ${endpoint.id} AND d.status IN ('PENDING', 'RETRYING', 'DEAD')
        ${scopeSql(actor, Prisma.sql`e.facility_id`)}`,
    db.$queryRaw<{ event_id: string; type: string; created_at: Date }[]>`
      SELECT e.id AS event_id, e.type, e.created_at
      FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.endpoint_id = ${endpoint.id} AND d.status IN ('PENDING', 'RETRYING')
        ${scopeSql(actor, Prisma.sql`e.facility_id`)}
      ORDER BY d.created_at, e.created_at
      LIMIT 1`,
    db.inventoryPool.findMany({ where: inScope(actor), select: { id: true } }),
  ]);
  const visiblePools = new Set(pools.map((p) => p.id));
  const first = oldest[0];
  return {
    ...endpoint,
    health: {
      ...endpoint.health,
      pendingDeliveries: counts[0]?.pending ?? 0,
      deadDeliveries: counts[0]?.dead ?? 0,
      oldestUndelivered: first
        ? {
            eventId: first.event_id,
            eventType: first.type,
            createdAt: first.created_at,
            lagSeconds: Math.max(0, Math.round((now.getTime() - first.created_at.getTime()) / 1000)),
          }
        : null,
      poolAcks: endpoint.health.poolAcks.filter((ack) => visiblePools.has(ack.poolId)),
    },
  };
}

/** One endpoint with its health; NOT_FOUND when it does not exist or was deleted. */
export async function getEndpointWithHealth(raw: z.input<typeof EndpointIdInput>, actor: Actor): Promise<WebhookEndpointWithHealth> {
  const { endpointId } = parseOrRefuse(EndpointIdInput, raw);
  const now = new Date();
  return scopeHealth(await getWebhookEndpoint(endpointId, actor, { now }), actor, now);
}

/**
 * Every live endpoint (up to 100), each with its health, oldest first: one page of
 * endpoints and one set of grouped statements for all of them, scoped to the actor's
 * facilities (docs/performance.md#endpoint-health). The per-pool acknowledged versions
 * (endpoints × pools rows) are on each endpoint's own page, not in the list.
 */
export async function listEndpointsWithHealth(actor: Actor): Promise<WebhookEndpointSummary[]> {
  const { endpoints } = await listWebhookEndpoints({ limit: MAX_ENDPOINTS }, actor);
  const now = new Date();
  const health = await measureEndpointHealth(
    endpoints.map((e) => e.id),
    { now, facilityIds: actor.facilityIds },
  );
  return endpoints.map((e) => withHealth(e, health.get(e.id)!));
}
