import { MAX_PAYMENT_WEBHOOK_BYTES } from "@/server/domain/payments/payment-event";
import { receivePaymentEvent, recordRejectedPaymentEvent } from "@/server/domain/payments/receive-payment-event";
import { bookingReferencesIn, recordApiRequest } from "@/server/domain/request-log/record-api-request";
import { DomainError } from "@/server/domain/shared/errors";
import { requireSetting } from "@/server/config";
import { requestMetaFrom } from "@/server/auth/request-meta";
import { problemResponse, toDomainError } from "@/server/http/problem";
import { readLimitedBody } from "@/server/http/read-limited-body";
import { correlationIdOf } from "@/server/observability/correlation";
import { requestLogger } from "@/server/observability/logger";
import { observeHttpRequest } from "@/server/observability/metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const ROUTE = "/api/webhooks/payments";

/**
 * POST /api/webhooks/payments — the payment provider's events (Standard Webhooks).
 * Verify → store → answer; the booking is changed by the apply_payment_event job.
 *   200 { received: true, duplicate }   stored (or already stored: same webhook-id)
 *   200 { received: true, ignored: true } an event type we do not handle (stored IGNORED)
 *   401 problem+json                     bad, missing or stale signature (stored REJECTED)
 *   413 problem+json                     body over 64 KB (stored REJECTED)
 *   422 problem+json                     signed, but not a payment event we can read (stored FAILED)
 */
export async function POST(request: Request): Promise<Response> {
  const started = performance.now();
  const correlationId = correlationIdOf(request);
  const log = requestLogger(correlationId, { route: ROUTE });
  let response: Response;
  let rawBody: string | null = null;
  try {
    response = await handle();
  } catch (thrown) {
    response = problemResponse(toDomainError(thrown, correlationId), correlationId);
  }
  // In the request log before the answer leaves (docs/request-log.md).
  const meta = requestMetaFrom(request.headers);
  const url = new URL(request.url);
  const responseBody = await response.clone().text();
  await recordApiRequest({
    source: "payment_webhook",
    partnerId: null,
    apiKeyId: null,
    keyPrefix: null,
    method: "POST",
    route: ROUTE,
    path: url.pathname,
    query: url.search ? url.search.slice(1) : null,
    status: response.status,
    code: response.headers.get("x-holdfast-error-code"),
    durationMs: Math.round(performance.now() - started),
    idempotencyKey: request.headers.get("webhook-id"),
    correlationId,
    replayed: false,
    ip: meta.ip,
    userAgent: meta.userAgent,
    bookingReferences: bookingReferencesIn(rawBody),
    facilityCode: null,
    requestBody: rawBody,
    responseBody,
  });
  observeHttpRequest(ROUTE, "POST", response.status, (performance.now() - started) / 1000);
  return response;

  async function handle(): Promise<Response> {
    const body = await readLimitedBody(request, MAX_PAYMENT_WEBHOOK_BYTES);
    if (body.ok) rawBody = body.text;
    if (!body.ok) {
      const reason = `The body is larger than ${MAX_PAYMENT_WEBHOOK_BYTES} bytes.`;
      await recordRejectedPaymentEvent({ reason, rawBody: body.prefix, claimedWebhookId: request.headers.get("webhook-id"), correlationId });
      log.warn({ reason }, "payment webhook refused");
      throw new DomainError("PAYLOAD_TOO_LARGE", reason, { max_bytes: MAX_PAYMENT_WEBHOOK_BYTES });
    }
    const result = await receivePaymentEvent({
      rawBody: body.text,
      headers: {
        id: request.headers.get("webhook-id"),
        timestamp: request.headers.get("webhook-timestamp"),
        signature: request.headers.get("webhook-signature"),
      },
      secret: requireSetting("PAYMENT_WEBHOOK_SECRET"),
      correlationId,
      clientIp: requestMetaFrom(request.headers).ip,
    });
    switch (result.kind) {
      case "throttled":
        log.warn({ retryAfterSeconds: result.retryAfterSeconds }, "payment webhook refused unstored: too many bad deliveries from this address");
        throw new DomainError("RATE_LIMITED", "Too many unsigned or invalid deliveries from this address; not stored.", {
          retry_after_seconds: result.retryAfterSeconds,
        });
      case "rejected":
        log.warn({ reason: result.reason }, "payment webhook rejected");
        throw new DomainError("UNAUTHENTICATED", result.reason);
      case "invalid":
        log.warn({ webhookId: result.webhookId, duplicate: result.duplicate }, "payment webhook is not a readable payment event");
        throw new DomainError("VALIDATION_FAILED", result.message, { webhook_id: result.webhookId }, result.fieldErrors);
      case "ignored":
        log.info({ webhookId: result.webhookId, type: result.type, duplicate: result.duplicate }, "payment webhook ignored");
        return json({ received: true, ignored: true, duplicate: result.duplicate }, correlationId);
      case "accepted":
        log.info({ webhookId: result.webhookId, duplicate: result.duplicate }, "payment webhook stored");
        return json({ received: true, duplicate: result.duplicate }, correlationId);
    }
  }
}

function json(body: unknown, correlationId: string): Response {
  return Response.json(body, { status: 200, headers: { "x-correlation-id": correlationId, "cache-control": "no-store" } });
}
