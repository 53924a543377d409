import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { EVENT_TYPES } from "@/server/domain/shared/events";
import { newId } from "@/server/domain/shared/ids";
import { encryptSecret } from "@/server/domain/shared/secrets";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { webhookConfig } from "../../../config";
import { generateEndpointSecret } from "../delivery/signing";
import { checkEndpointUrl, MAX_URL_LENGTH } from "./url-policy";
import {
  auditableUrl,
  endpointScope,
  ENDPOINT_COLUMNS,
  toEndpointView,
  type EndpointRow,
  type WebhookEndpointView,
} from "./webhook-endpoint-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/** A partner's live endpoints are capped: each one costs a delivery per event. */
export const MAX_ENDPOINTS_PER_PARTNER = 20;

export const EventTypesInput = z
  .array(z.enum(EVENT_TYPES))
  .max(EVENT_TYPES.length)
  .transform((types) => [...new Set(types)].sort())
  .describe("event types to receive; empty or absent = every type");

export const CreateWebhookEndpointInput = z
  .object({
    url: z.string().trim().min(1).max(MAX_URL_LENGTH).describe("https URL that receives POSTed events"),
    event_types: EventTypesInput.default([]),
    description: z.string().trim().max(500).optional(),
  })
  .strict();
export type CreateWebhookEndpointInput = z.input<typeof CreateWebhookEndpointInput>;

export interface CreatedWebhookEndpoint {
  endpoint: WebhookEndpointView;
  /** the signing secret: returned this once, stored only encrypted */
  secret: string;
}

/** The destination rule at save time, DNS included (docs/webhooks.md#where-webhooks-may-be-sent). */
export async function assertEndpointUrl(url: string): Promise<void> {
  const problem = await checkEndpointUrl(url, webhookConfig());
  if (problem) throw new DomainError("VALIDATION_FAILED", problem, {}, [{ path: "url", message: problem }]);
}

/**
 * Registers an endpoint for a partner (a partner: itself; staff and the system: the
 * partner named in `options.partnerId`), with a new whsec_ secret returned once.
 */
export async function createWebhookEndpoint(
  raw: CreateWebhookEndpointInput,
  actor: Actor,
  options: ServiceOptions & { partnerId?: string } = {},
): Promise<CreatedWebhookEndpoint> {
  await authorize(actor, "endpoint.manage");
  const scope = endpointScope(actor, "manage");
  const input = parseOrRefuse(CreateWebhookEndpointInput, raw);
  await assertEndpointUrl(input.url);
  const partnerId = scope.partnerId ?? options.partnerId;
  if (!partnerId) throw new DomainError("VALIDATION_FAILED", "Name the partner the endpoint belongs to.", {}, [{ path: "partner_id", message: "required" }]);
  return inTransaction(options, async (tx) => {
    // Serialises creates per partner, so the cap holds under concurrent requests.
    const partner = await tx.$queryRaw<{ id: string; code: string }[]>`
      SELECT id, code FROM partners WHERE id = ${partnerId}::uuid FOR UPDATE`;
    if (!partner[0]) throw new DomainError("NOT_FOUND", "Partner not found.");
    const [{ live } = { live: 0 }] = await tx.$queryRaw<{ live: number }[]>`
      SELECT count(*)::int AS live FROM webhook_endpoints WHERE partner_id = ${partnerId}::uuid AND deleted_at IS NULL`;
    if (live >= MAX_ENDPOINTS_PER_PARTNER) {
      throw new DomainError("CONFLICT", `A partner may have at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints; delete one first.`, {
        max_endpoints: MAX_ENDPOINTS_PER_PARTNER,
      });
    }
    const secret = generateEndpointSecret();
    const id = newId("ep", options.now?.getTime());
    const rows = await tx.$queryRaw<EndpointRow[]>`
      WITH ep AS (
        INSERT INTO webhook_endpoints (id, partner_id, url, description, event_types, secret_ciphertext, secret_version, created_at)
        VALUES (${id}, ${partnerId}::uuid, ${input.url}, ${input.description ?? ""}, ${input.event_types}::text[],
                ${encryptSecret(secret)}, 1, coalesce(${options.now ?? null}::timestamptz, now()))
        RETURNING *
      )
      SELECT ${ENDPOINT_COLUMNS} FROM ep JOIN partners p ON p.id = ep.partner_id`;
    const row = rows[0]!;
    await writeAudit(tx, actor, {
      action: "webhook_endpoint.create",
      targetType: "webhook_endpoint",
      targetId: id,
      at: options.now,
      metadata: { partner_code: partner[0].code, url: auditableUrl(input.url), event_types: input.event_types, secret_version: 1 },
    });
    return { endpoint: toEndpointView(row, options.now), secret };
  });
}
