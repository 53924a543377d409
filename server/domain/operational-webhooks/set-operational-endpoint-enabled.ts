import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { wakeOperationalWebhooks } from "./enqueue-operational-webhooks";
import { OPERATIONAL_ENDPOINT_ID, OPERATIONAL_ENDPOINT_SELECT, type OperationalEndpointView } from "./operational-endpoint-view";

export const SetOperationalEndpointEnabledInput = z.object({ endpointId: OPERATIONAL_ENDPOINT_ID, enabled: z.boolean() }).strict();
export type SetOperationalEndpointEnabledInput = z.input<typeof SetOperationalEndpointEnabledInput>;

/**
 * Disables or enables an operational endpoint (admin.manage). A disabled endpoint is told
 * of no new change; what was already waiting for it waits, and is sent when it is enabled
 * again (docs/operations.md#operational-webhooks). Setting the state it has is a no-op.
 */
export async function setOperationalEndpointEnabled(
  raw: SetOperationalEndpointEnabledInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<{ endpoint: OperationalEndpointView; changed: boolean }> {
  const input = parseOrRefuse(SetOperationalEndpointEnabledInput, raw);
  await authorize(actor, "admin.manage", { target: { type: "operational_webhook_endpoint", id: input.endpointId } });
  return inTransaction(options, async (tx) => {
    const updated = await tx.operationalWebhookEndpoint.updateMany({
      where: { id: input.endpointId, enabled: !input.enabled },
      data: { enabled: input.enabled, disabledAt: input.enabled ? null : (options.now ?? new Date()) },
    });
    const endpoint = await tx.operationalWebhookEndpoint.findUnique({ where: { id: input.endpointId }, select: OPERATIONAL_ENDPOINT_SELECT });
    if (!endpoint) throw new DomainError("NOT_FOUND", "Operational webhook endpoint not found.");
    if (!updated.count) return { endpoint, changed: false };
    await writeAudit(tx, actor, {
      action: input.enabled ? "operational_webhook.enable" : "operational_webhook.disable",
      targetType: "operational_webhook_endpoint",
      targetId: endpoint.id,
      at: options.now,
    });
    if (input.enabled) await wakeOperationalWebhooks(tx, actor.correlationId);
    return { endpoint, changed: true };
  });
}
