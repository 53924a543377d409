import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError, forbidden } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { assertEndpointUrl, EventTypesInput } from "./create-webhook-endpoint";
import { MAX_URL_LENGTH } from "./url-policy";
import {
  auditableUrl,
  ENDPOINT_COLUMNS,
  loadEndpoint,
  toEndpointView,
  type EndpointRow,
  type WebhookEndpointView,
} from "./webhook-endpoint-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/** What a partner may change on its own endpoint (the partner API's PATCH body). */
const partnerFields = {
  url: z.string().trim().min(1).max(MAX_URL_LENGTH).optional().describe("https URL that receives POSTed events"),
  description: z.string().trim().max(500).optional(),
  event_types: EventTypesInput.optional(),
};
const changesSomething = (changes: object) => Object.values(changes).some((value) => value !== undefined);

export const PartnerUpdateWebhookEndpointInput = z
  .object(partnerFields)
  .strict()
  .refine(changesSomething, "Change at least one field.");

export const UpdateWebhookEndpointInput = z
  .object({
    ...partnerFields,
    /** requests in flight at once, across every worker; staff only */
    max_concurrency: z.number({ error: "Between 1 and 64." }).int("Between 1 and 64.").min(1, "Between 1 and 64.").max(64, "Between 1 and 64.").optional(),
  })
  .strict()
  .refine(changesSomething, "Change at least one field.");
export type UpdateWebhookEndpointInput = z.input<typeof UpdateWebhookEndpointInput>;

/**
 * Changes an endpoint's URL, description, event types (and, for staff, its concurrency).
 * Deliveries already made keep going to the endpoint; new event types apply to events
 * fanned out from now on.
 */
export async function updateWebhookEndpoint(
  endpointId: string,
  raw: UpdateWebhookEndpointInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<WebhookEndpointView> {
  await authorize(actor, "endpoint.manage", { target: { type: "webhook_endpoint", id: endpointId } });
  const input = parseOrRefuse(UpdateWebhookEndpointInput, raw);
  if (input.url !== undefined) await assertEndpointUrl(input.url);
  if (input.max_concurrency !== undefined && actor.type === "PARTNER") {
    throw forbidden("Only the operator sets an endpoint's concurrency.");
  }
  return inTransaction(options, async (tx) => {
    const before = await loadEndpoint(tx, actor, endpointId, "manage");
    const rows = await tx.$queryRaw<EndpointRow[]>`
      WITH ep AS (
        UPDATE webhook_endpoints SET
          url = coalesce(${input.url ?? null}, url),
          description = coalesce(${input.description ?? null}, description),
          event_types = coalesce(${input.event_types ?? null}::text[], event_types),
          max_concurrency = coalesce(${input.max_concurrency ?? null}::int, max_concurrency)
        WHERE id = ${endpointId}
        RETURNING *
      )
      SELECT ${ENDPOINT_COLUMNS} FROM ep JOIN partners p ON p.id = ep.partner_id`;
    const row = rows[0];
    if (!row) throw new DomainError("NOT_FOUND", `Webhook endpoint ${endpointId} was not found.`);
    const changes: Record<string, unknown> = {};
    if (input.url !== undefined && input.url !== before.url) changes.url = { from: auditableUrl(before.url), to: auditableUrl(input.url) };
    if (input.description !== undefined && input.description !== before.description) changes.description = true;
    if (input.event_types !== undefined) changes.event_types = { from: before.event_types, to: input.event_types };
    if (input.max_concurrency !== undefined) changes.max_concurrency = { from: before.max_concurrency, to: input.max_concurrency };
    await writeAudit(tx, actor, {
      action: "webhook_endpoint.update",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      at: options.now,
      metadata: { partner_code: before.partner_code, changes },
    });
    return toEndpointView(row, options.now);
  });
}
