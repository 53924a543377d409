import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parkDeliveries } from "./endpoint-state";
import { auditableUrl, loadEndpoint } from "./webhook-endpoint-view";

/**
 * Deletes an endpoint (soft: deleted_at, so its delivery history stays readable). No
 * delivery is attempted after this commits — pending ones are parked, the fan-out and
 * the claims skip deleted endpoints, and an attempt already in flight records its result
 * without rescheduling. A deleted endpoint is "not found" from then on.
 */
export async function deleteWebhookEndpoint(endpointId: string, actor: Actor, options: ServiceOptions = {}): Promise<{ id: string }> {
  await authorize(actor, "endpoint.manage", { target: { type: "webhook_endpoint", id: endpointId } });
  return inTransaction(options, async (tx) => {
    const endpoint = await loadEndpoint(tx, actor, endpointId, "manage");
    await tx.$executeRaw`
      UPDATE webhook_endpoints SET deleted_at = coalesce(${options.now ?? null}::timestamptz, now()) WHERE id = ${endpointId}`;
    const parked = await parkDeliveries(tx, endpointId);
    await writeAudit(tx, actor, {
      action: "webhook_endpoint.delete",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      at: options.now,
      metadata: { partner_code: endpoint.partner_code, url: auditableUrl(endpoint.url), pending_deliveries_stopped: parked },
    });
    return { id: endpointId };
  });
}
