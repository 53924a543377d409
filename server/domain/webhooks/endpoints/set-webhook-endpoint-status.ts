import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { disableEndpointRow, enableEndpointRow } from "./endpoint-state";
import { ENDPOINT_COLUMNS, loadEndpoint, toEndpointView, type EndpointRow, type WebhookEndpointView } from "./webhook-endpoint-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const DisableWebhookEndpointInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

async function reload(tx: Parameters<Parameters<typeof inTransaction>[1]>[0], endpointId: string, now?: Date) {
  const rows = await tx.$queryRaw<EndpointRow[]>`
    SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ep JOIN partners p ON p.id = ep.partner_id WHERE ep.id = ${endpointId}`;
  return toEndpointView(rows[0]!, now);
}

/**
 * Stops deliveries to an endpoint (ops leads, admins): its pending deliveries are parked,
 * with their place in the schedule kept, and no new ones are made. Disabling a disabled
 * endpoint is a no-op.
 */
export async function disableWebhookEndpoint(
  endpointId: string,
  raw: z.input<typeof DisableWebhookEndpointInput>,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<WebhookEndpointView> {
  await authorize(actor, "endpoint.operate", { target: { type: "webhook_endpoint", id: endpointId } });
  const { reason } = parseOrRefuse(DisableWebhookEndpointInput, raw);
  return inTransaction(options, async (tx) => {
    const endpoint = await loadEndpoint(tx, actor, endpointId, "operate");
    if (await disableEndpointRow(tx, endpointId, reason, options.now ?? new Date())) {
      await writeAudit(tx, actor, {
        action: "webhook_endpoint.disable",
        targetType: "webhook_endpoint",
        targetId: endpointId,
        reason,
        at: options.now,
        metadata: { partner_code: endpoint.partner_code, automatic: false },
      });
    }
    return reload(tx, endpointId, options.now);
  });
}

/**
 * Resumes deliveries (ops leads, admins) with a clean failure record — the span that
 * auto-disables starts again — and makes parked deliveries due now. Enabling an active
 * endpoint is a no-op.
 */
export async function enableWebhookEndpoint(endpointId: string, actor: Actor, options: ServiceOptions = {}): Promise<WebhookEndpointView> {
  await authorize(actor, "endpoint.operate", { target: { type: "webhook_endpoint", id: endpointId } });
  return inTransaction(options, async (tx) => {
    const endpoint = await loadEndpoint(tx, actor, endpointId, "operate");
    if (await enableEndpointRow(tx, endpointId, options.now ?? new Date())) {
      await writeAudit(tx, actor, {
        action: "webhook_endpoint.enable",
        targetType: "webhook_endpoint",
        targetId: endpointId,
        at: options.now,
        metadata: { partner_code: endpoint.partner_code, was_disabled_because: endpoint.disabled_reason },
      });
    }
    return reload(tx, endpointId, options.now);
  });
}
