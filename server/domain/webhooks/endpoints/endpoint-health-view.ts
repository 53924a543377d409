import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
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

/** One endpoint with its health; NOT_FOUND when it does not exist or was deleted. */
export async function getEndpointWithHealth(raw: z.input<typeof EndpointIdInput>, actor: Actor): Promise<WebhookEndpointWithHealth> {
  const { endpointId } = parseOrRefuse(EndpointIdInput, raw);
  const now = new Date();
  // what the health names of deliveries and pools is limited to a site manager's facilities
  return getWebhookEndpoint(endpointId, actor, { now, facilityIds: actor.facilityIds });
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
