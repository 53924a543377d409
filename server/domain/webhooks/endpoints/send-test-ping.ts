import { z } from "zod";
import { getDb } from "../../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { newId } from "@/server/domain/shared/ids";
import { inTransaction } from "@/server/domain/shared/transaction";
import { defaultSender, type AttemptOptions } from "../delivery/attempt-delivery";
import { webhookConfig } from "../../../config";
import { ENDPOINT_ID, triggeredBy } from "../replay/replay-access";
import type { FailureClass } from "../delivery/retry-policy";
import { sendSignedWebhook } from "../delivery/send-signed";
import { auditableUrl, loadEndpoint } from "./webhook-endpoint-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const SendTestPingInput = z.object({ endpointId: ENDPOINT_ID }).strict();
export type SendTestPingInput = z.input<typeof SendTestPingInput>;

/** The type of a test message: not an event type (docs/webhooks.md#event-types), never in the outbox or the event feed. */
const TEST_PING_TYPE = "webhook.test";

export interface TestPingView {
  /** the webhook-id it was sent with */
  id: string;
  endpointId: string;
  requestedBy: { id: string; email: string } | null;
  startedAt: Date;
  durationMs: number;
  success: boolean;
  responseStatus: number | null;
  /** the first 2 KB of the answer */
  responseBody: string | null;
  failureClass: FailureClass | null;
  errorMessage: string | null;
  /** what was sent, the signature shortened */
  requestHeaders: Record<string, string>;
  /** which secret versions signed it */
  signedWith: string[];
  correlationId: string | null;
}

/**
 * Sends a signed test message to an endpoint now (permission endpoint.manage; the
 * console's "Send test"): a Standard Webhooks request like every delivery — signed with
 * the endpoint's secret(s), webhook-id a fresh msg_ id — whose body is an envelope of type
 * "webhook.test". Disabled endpoints may be pinged (to see whether they are back before
 * enabling them). The result is kept in webhook_test_pings with its "endpoint.test"
 * audit entry (one transaction, after the HTTP exchange) and does not count towards the
 * endpoint's health or failure streak: it is not a delivery.
 */
export async function sendTestPing(
  raw: SendTestPingInput,
  actor: Actor,
  options: Pick<AttemptOptions, "sender" | "timeoutMs" | "now"> = {},
): Promise<TestPingView> {
  const { endpointId } = parseOrRefuse(SendTestPingInput, raw);
  await authorize(actor, "endpoint.operate");
  const endpoint = await loadEndpoint(getDb(), actor, endpointId, "manage", false);

  const startedAt = options.now ?? new Date();
  const id = newId("msg", startedAt.getTime());
  const body = JSON.stringify({
    id,
    type: TEST_PING_TYPE,
    schema_version: 1,
    created_at: startedAt.toISOString(),
    correlation_id: actor.correlationId,
    aggregate_version: 0,
    data: {
      endpoint_id: endpointId,
      message: "A test message from Holdfast: your endpoint received and can verify our webhooks. No action is needed.",
    },
  });
  const secrets = {
    secretCiphertext: endpoint.secret_ciphertext,
    secretVersion: endpoint.secret_version,
    previousSecretCiphertext: endpoint.previous_secret_ciphertext,
    previousSecretExpiresAt: endpoint.previous_secret_expires_at,
  };
  const sent = await sendSignedWebhook(options.sender ?? defaultSender(), {
    url: endpoint.url,
    secrets,
    id,
    body,
    startedAt,
    timeoutMs: options.timeoutMs ?? webhookConfig().timeoutMs,
  });
  const { success, failureClass, errorMessage, signedWith } = sent;
  const storedHeaders = sent.requestHeaders;
  const response = { status: sent.httpStatus, body: sent.responseBody, durationMs: sent.durationMs };

  return inTransaction({}, async (tx) => {
    await tx.$executeRaw`
      INSERT INTO webhook_test_pings (id, endpoint_id, requested_by_id, started_at, duration_ms, response_status, response_body,
                                      failure_class, error_message, request_headers, signed_with, correlation_id)
      VALUES (${id}, ${endpointId}, ${triggeredBy(actor)}::uuid, ${startedAt}, ${response.durationMs}, ${response.status},
              ${response.body}, ${failureClass}::"FailureClass", ${errorMessage}, ${JSON.stringify(storedHeaders)}::jsonb,
              ${signedWith}::text[], ${actor.correlationId})`;
    await writeAudit(tx, actor, {
      action: "endpoint.test",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      metadata: {
        partner_code: endpoint.partner_code,
        url: auditableUrl(endpoint.url),
        webhook_id: id,
        success,
        response_status: response.status,
        failure_class: failureClass,
      },
    });
    return {
      id,
      endpointId,
      requestedBy: actor.type === "USER" ? { id: actor.id, email: actor.label } : null,
      startedAt,
      durationMs: response.durationMs,
      success,
      responseStatus: response.status,
      responseBody: response.body,
      failureClass,
      errorMessage,
      requestHeaders: storedHeaders,
      signedWith,
      correlationId: actor.correlationId,
    };
  });
}

export const ListTestPingsInput = z.object({ endpointId: ENDPOINT_ID, limit: z.number().int().min(1).max(50).default(10) }).strict();

/** An endpoint's latest test pings, newest first (delivery.read, like the endpoint itself). */
export async function listTestPings(raw: z.input<typeof ListTestPingsInput>, actor: Actor): Promise<TestPingView[]> {
  const { endpointId, limit } = parseOrRefuse(ListTestPingsInput, raw);
  const db = getDb();
  await loadEndpoint(db, actor, endpointId, "read");
  const rows = await db.webhookTestPing.findMany({
    where: { endpointId },
    orderBy: { startedAt: "desc" },
    take: limit,
  });
  const users = await db.user.findMany({
    where: { id: { in: rows.map((r) => r.requestedById).filter((v): v is string => v !== null) } },
    select: { id: true, email: true },
  });
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpointId,
    requestedBy: r.requestedById ? { id: r.requestedById, email: emails.get(r.requestedById) ?? "" } : null,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    success: r.failureClass === null && r.responseStatus !== null,
    responseStatus: r.responseStatus,
    responseBody: r.responseBody,
    failureClass: r.failureClass,
    errorMessage: r.errorMessage,
    requestHeaders: r.requestHeaders as Record<string, string>,
    signedWith: r.signedWith,
    correlationId: r.correlationId,
  }));
}
