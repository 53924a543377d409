import { z } from "zod";
import { getDb } from "@/server/db";
import { webhookConfig } from "@/server/config";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { newId } from "@/server/domain/shared/ids";
import { inTransaction } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { auditableUrl } from "@/server/domain/webhooks/endpoints/webhook-endpoint-view";
import { OPERATIONAL_TEST_TYPE, type OperationalMessage } from "@/shared/operational-webhooks";
import { OPERATIONAL_ENDPOINT_ID } from "./operational-endpoint-view";
import { attemptOperationalDelivery, claimOperationalDelivery, type OperationalAttemptResult, type SendOptions } from "./send-operational-webhooks";

export const SendOperationalTestInput = z.object({ endpointId: OPERATIONAL_ENDPOINT_ID }).strict();
export type SendOperationalTestInput = z.input<typeof SendOperationalTestInput>;

export interface OperationalTestResult extends OperationalAttemptResult {
  errorMessage: string | null;
}

/**
 * The admin screen's "Send test" (admin.manage): a signed message of type webhook.test,
 * sent now, once, and kept in the endpoint's delivery log like any other. A disabled
 * endpoint may be tested (to see whether it is back before enabling it). Audited as
 * operational_webhook.test with its outcome.
 */
export async function sendOperationalTest(
  raw: SendOperationalTestInput,
  actor: Actor,
  options: Pick<SendOptions, "sender" | "timeoutMs" | "now"> = {},
): Promise<OperationalTestResult> {
  const input = parseOrRefuse(SendOperationalTestInput, raw);
  await authorize(actor, "admin.manage", { target: { type: "operational_webhook_endpoint", id: input.endpointId } });
  const endpoint = await getDb().operationalWebhookEndpoint.findUnique({ where: { id: input.endpointId }, select: { id: true, url: true } });
  if (!endpoint) throw new DomainError("NOT_FOUND", "Operational webhook endpoint not found.");
  const now = options.now ?? new Date();
  const id = newId("msg", now.getTime());
  const message: OperationalMessage<{ endpoint_id: string; message: string }> = {
    id,
    type: OPERATIONAL_TEST_TYPE,
    schema_version: 1,
    created_at: now.toISOString(),
    correlation_id: actor.correlationId,
    data: { endpoint_id: endpoint.id, message: "A test message from Holdfast: your endpoint received and can verify operational webhooks. No action is needed." },
  };
  await getDb().operationalWebhookDelivery.create({
    data: { id, endpointId: endpoint.id, eventType: OPERATIONAL_TEST_TYPE, body: JSON.stringify(message), nextAttemptAt: null, createdAt: now },
  });
  const timeoutMs = options.timeoutMs ?? webhookConfig().timeoutMs;
  const claimed = await claimOperationalDelivery(id, now, timeoutMs + 30_000);
  if (!claimed) throw new Error(`The test message ${id} was taken by another attempt.`);
  const { result, sent } = await attemptOperationalDelivery(claimed, {
    ...options,
    now,
    timeoutMs,
    trigger: "TEST",
    triggeredById: actor.type === "USER" ? actor.id : null,
    correlationId: actor.correlationId,
  });
  await inTransaction({}, (tx) =>
    writeAudit(tx, actor, {
      action: "operational_webhook.test",
      targetType: "operational_webhook_endpoint",
      targetId: endpoint.id,
      metadata: { url: auditableUrl(endpoint.url), webhook_id: id, success: result.success, response_status: result.responseStatus, failure_class: result.failureClass },
    }),
  );
  return { ...result, errorMessage: sent.errorMessage };
}
