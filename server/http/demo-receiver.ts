import { decideReaction, parseBehaviour, type Reaction } from "../domain/demo-receiver/behaviour";
import { countDemoDelivery, listDemoHits, recordDemoAnswer, verifyDemoDelivery } from "../domain/demo-receiver/receiver-endpoints";
import { correlationIdOf } from "../observability/correlation";
import { requestLogger } from "../observability/logger";
import { DEMO_RECEIVER_MAX_BODY_BYTES } from "./body-limits";
import { readLimitedBody } from "./read-limited-body";
import { abortableSleep } from "../domain/shared/abortable-sleep";

/**
 * The demo partner receiver (HOLDFAST_DEMO=1 only): `/api/demo-receiver/{partner_code}`
 * plays a partner's webhook endpoint inside the app, so the demo shows deliveries,
 * retries, throttling, 410s and dead letters without anything outside the app.
 *
 * POST: verify the Standard Webhooks signature with the secret of the partner's endpoint
 * whose URL is this one (401 otherwise; 404 when no endpoint points here), count the
 * delivery of that webhook-id, then answer as the URL's query string says
 * (server/domain/demo-receiver/behaviour.ts). GET: the latest webhook-ids the partner received.
 *
 * Not a public surface: it exists for the embedded demo and answers 404 otherwise.
 */

export interface DemoReceiverOptions {
  /** HOLDFAST_DEMO=1 */
  enabled: boolean;
  /** for tests: the draw that picks a reaction (default Math.random) */
  random?: () => number;
}

const PARTNER_CODE = /^[A-Za-z0-9_-]{1,64}$/;

function json(status: number, body: unknown, correlationId: string, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "x-correlation-id": correlationId, "cache-control": "no-store", ...headers } });
}

function notFound(correlationId: string, detail = "Not found."): Response {
  return json(404, { error: "not_found", detail }, correlationId);
}

export async function receiveDemoDelivery(request: Request, partnerCode: string, options: DemoReceiverOptions): Promise<Response> {
  const correlationId = correlationIdOf(request);
  if (!options.enabled || !PARTNER_CODE.test(partnerCode)) return notFound(correlationId);
  const log = requestLogger(correlationId, { component: "demo-receiver", partnerCode });
  const url = new URL(request.url);

  const body = await readLimitedBody(request, DEMO_RECEIVER_MAX_BODY_BYTES);
  if (!body.ok) return json(413, { error: "payload_too_large", max_bytes: DEMO_RECEIVER_MAX_BODY_BYTES }, correlationId);

  const verification = await verifyDemoDelivery({
    partnerCode,
    query: url.searchParams,
    rawBody: body.text,
    headers: {
      id: request.headers.get("webhook-id"),
      timestamp: request.headers.get("webhook-timestamp"),
      signature: request.headers.get("webhook-signature"),
    },
  });
  if (verification.kind === "no-endpoint") {
    return notFound(correlationId, `No webhook endpoint of partner ${partnerCode} has this URL.`);
  }
  if (verification.kind === "rejected") {
    log.warn({ reason: verification.reason }, "demo receiver: signature refused");
    return json(401, { error: "invalid_signature", detail: verification.reason }, correlationId);
  }

  const behaviour = parseBehaviour(url.searchParams);
  if (!behaviour.ok) return json(400, { error: "bad_receiver_options", detail: behaviour.message }, correlationId);

  const { endpointId, webhookId } = verification;
  const deliveries = await countDemoDelivery({ endpointId, webhookId, partnerCode, eventType: eventTypeOf(body.text) });
  const reaction = decideReaction(behaviour.behaviour, deliveries, options.random ?? Math.random);
  await recordDemoAnswer(endpointId, webhookId, reaction.status);
  log.info({ webhookId, endpointId, deliveries, reaction: reaction.kind }, "demo receiver: delivery received");

  await abortableSleep(behaviour.behaviour.latency_ms, request.signal);
  if (reaction.kind === "hang") await abortableSleep(reaction.hangMs, request.signal);
  return answer(reaction, { webhookId, deliveries }, correlationId);
}

function answer(reaction: Reaction, delivery: { webhookId: string; deliveries: number }, correlationId: string): Response {
  const headers = { "x-demo-receiver-reaction": reaction.kind };
  const about = { webhook_id: delivery.webhookId, deliveries: delivery.deliveries };
  switch (reaction.kind) {
    case "ok":
    case "hang":
      return json(200, { received: true, ...about }, correlationId, headers);
    case "fail":
      return json(reaction.status, { error: "simulated_failure", deterministic: reaction.deterministic, ...about }, correlationId, headers);
    case "gone":
      return json(410, { error: "gone", detail: "This demo endpoint says it no longer exists.", ...about }, correlationId, headers);
    case "throttle":
      return json(429, { error: "throttled", ...about }, correlationId, {
        ...headers,
        "retry-after": String(reaction.retryAfterSeconds),
      });
  }
}

function eventTypeOf(body: string): string | null {
  try {
    const type = (JSON.parse(body) as { type?: unknown })?.type;
    return typeof type === "string" ? type.replaceAll("\u0000", "").slice(0, 100) : null;
  } catch {
    return null;
  }
}

export async function listDemoReceiverHits(request: Request, partnerCode: string, options: DemoReceiverOptions): Promise<Response> {
  const correlationId = correlationIdOf(request);
  if (!options.enabled || !PARTNER_CODE.test(partnerCode)) return notFound(correlationId);
  const limit = Math.min(Math.max(Number(new URL(request.url).searchParams.get("limit")) || 50, 1), 200);
  return json(200, { partner_code: partnerCode, data: await listDemoHits(partnerCode, limit) }, correlationId);
}
