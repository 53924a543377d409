import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { newId } from "@/server/domain/shared/ids";
import { encryptSecret } from "@/server/domain/shared/secrets";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { generateEndpointSecret } from "@/server/domain/webhooks/delivery/signing";
import { assertEndpointUrl } from "@/server/domain/webhooks/endpoints/create-webhook-endpoint";
import { MAX_URL_LENGTH } from "@/server/domain/webhooks/endpoints/url-policy";
import { auditableUrl } from "@/server/domain/webhooks/endpoints/webhook-endpoint-view";
import { SEVERITIES } from "@/shared/alert-rules";
import { OPERATIONAL_EVENT_TYPES } from "@/shared/operational-webhooks";
import { OPERATIONAL_ENDPOINT_SELECT, type OperationalEndpointView } from "./operational-endpoint-view";

/** Operational endpoints are few (a pager, a chat bridge, an incident tool); each costs a delivery per change. */
export const MAX_OPERATIONAL_ENDPOINTS = 20;

export const CreateOperationalEndpointInput = z
  .object({
    url: z.string().trim().min(1).max(MAX_URL_LENGTH),
    description: z.string().trim().max(500).default(""),
    eventTypes: z
      .array(z.enum(OPERATIONAL_EVENT_TYPES))
      .max(OPERATIONAL_EVENT_TYPES.length)
      .default([])
      .transform((types) => [...new Set(types)].sort()),
    minSeverity: z.enum(SEVERITIES).default("LOW"),
  })
  .strict();
export type CreateOperationalEndpointInput = z.input<typeof CreateOperationalEndpointInput>;

export interface CreatedOperationalEndpoint {
  endpoint: OperationalEndpointView;
  /** the whsec_ signing secret: returned this once, stored only encrypted */
  secret: string;
}

/**
 * Adds one of the operator's own endpoints (admin.manage; docs/operations.md#operational-webhooks).
 * The URL passes the partner endpoints' destination rule (docs/webhooks.md#where-webhooks-may-be-sent):
 * an operational webhook is as able to reach an internal address as a partner's.
 */
export async function createOperationalEndpoint(
  raw: CreateOperationalEndpointInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<CreatedOperationalEndpoint> {
  await authorize(actor, "admin.manage", { target: { type: "operational_webhook_endpoint", id: null } });
  const input = parseOrRefuse(CreateOperationalEndpointInput, raw);
  await assertEndpointUrl(input.url);
  return inTransaction(options, async (tx) => {
    // One creator at a time, so the cap holds.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('operational_webhook_endpoints'))`;
    const count = await tx.operationalWebhookEndpoint.count();
    if (count >= MAX_OPERATIONAL_ENDPOINTS) {
      throw new DomainError("CONFLICT", `There may be at most ${MAX_OPERATIONAL_ENDPOINTS} operational endpoints.`, { max_endpoints: MAX_OPERATIONAL_ENDPOINTS });
    }
    const secret = generateEndpointSecret();
    const endpoint = await tx.operationalWebhookEndpoint.create({
      data: {
        id: newId("owh", options.now?.getTime()),
        url: input.url,
        description: input.description,
        eventTypes: input.eventTypes,
        minSeverity: input.minSeverity,
        secretCiphertext: encryptSecret(secret),
        createdById: actor.type === "USER" ? actor.id : null,
        ...(options.now ? { createdAt: options.now } : {}),
      },
      select: OPERATIONAL_ENDPOINT_SELECT,
    });
    await writeAudit(tx, actor, {
      action: "operational_webhook.create",
      targetType: "operational_webhook_endpoint",
      targetId: endpoint.id,
      at: options.now,
      metadata: { url: auditableUrl(input.url), event_types: input.eventTypes, min_severity: input.minSeverity, secret_version: 1 },
    });
    return { endpoint, secret };
  });
}
