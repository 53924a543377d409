import { logger } from "../../../observability/logger";
import { countWebhookAttempt } from "../../../observability/metrics";
import { eventEnvelope } from "../../events/event-envelope";
import { systemActor } from "@/server/domain/shared/actor";
import { claimDelivery, type ClaimedDelivery, type DeliveryStatus } from "./claim-deliveries";
import { webhookConfig } from "../../../config";
import { disableEndpointAutomatically } from "../endpoints/endpoint-state";
import { WebhookSender } from "./http-sender";
import { honoursRetryAfter, parseRetryAfter, retryDelayMs, THROTTLE_CAP_MS, type FailureClass } from "./retry-policy";
import { recordAttempts, type AttemptAudit, type AttemptRecord, type AttemptRecorder } from "./record-attempts";
import { sendSignedWebhook } from "./send-signed";

/**
 * One attempt at one delivery: sign, POST, record. The order is the point — the delivery
 * is claimed (a lease, committed), then the HTTP request is made with no transaction
 * open, then the outcome is written in one transaction (record-attempts.ts): the attempt
 * row, the delivery's new state and schedule, the endpoint's counters and, for an
 * inventory.updated (or its re-announcement, inventory.corrected) answered 2xx, the endpoint's acknowledged inventory_version for the
 * pool — together or not at all.
 */

export type AttemptTrigger = "SCHEDULED" | "RETRY" | "MANUAL_REPLAY" | "BULK_REPLAY" | "TEST";

const MANUAL_TRIGGERS = new Set<AttemptTrigger>(["MANUAL_REPLAY", "BULK_REPLAY", "TEST"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Outcome {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** pause every delivery to the endpoint until then (Retry-After on 429/503) */
  throttleUntil: Date | null;
  /** 410 Gone: the consumer asked us to stop */
  gone: boolean;
}

/**
 * What an attempt's result means for its delivery. Success → SUCCEEDED. A failure of a
 * delivery already SUCCEEDED leaves it so (a replay of something delivered); a failed
 * replay of a DEAD delivery leaves it DEAD; otherwise the schedule gives the next attempt
 * (Retry-After on 429/503 postpones it further, never sooner), or DEAD after the last.
 */
export function decideOutcome(input: {
  current: DeliveryStatus;
  attemptNumber: number;
  trigger: AttemptTrigger | null;
  success: boolean;
  httpStatus: number | null;
  retryAfterMs: number | null;
  finishedAt: Date;
  random?: () => number;
}): Outcome {
  const gone = input.httpStatus === 410;
  const retryAfter = honoursRetryAfter(input.httpStatus) ? input.retryAfterMs : null;
  const throttleUntil = retryAfter ? new Date(input.finishedAt.getTime() + Math.min(retryAfter, THROTTLE_CAP_MS)) : null;
  if (input.success) return { status: "SUCCEEDED", nextAttemptAt: null, throttleUntil: null, gone: false };
  if (input.current === "SUCCEEDED") return { status: "SUCCEEDED", nextAttemptAt: null, throttleUntil, gone };
  if (input.current === "DEAD" && input.trigger && MANUAL_TRIGGERS.has(input.trigger)) {
    return { status: "DEAD", nextAttemptAt: null, throttleUntil, gone };
  }
  const delay = retryDelayMs(input.attemptNumber, input.random);
  if (delay === null) return { status: "DEAD", nextAttemptAt: null, throttleUntil, gone };
  const wait = retryAfter !== null ? Math.max(delay, retryAfter) : delay;
  return { status: "RETRYING", nextAttemptAt: new Date(input.finishedAt.getTime() + wait), throttleUntil, gone };
}

export interface AttemptOptions {
  /** null: the dispatcher's own attempt (SCHEDULED for the first, RETRY after) */
  trigger: AttemptTrigger | null;
  triggeredById?: string | null;
  /** the request that caused the attempt (a replay's); defaults to the event's */
  correlationId?: string | null;
  /** the clock: attempt start and everything scheduled from it */
  now?: Date;
  timeoutMs?: number;
  sender?: WebhookSender;
  random?: () => number;
  /** disable an endpoint whose every attempt failed for this long (default from config) */
  disableAfterMs?: number;
  /** write the outcome in a shared batch (the dispatcher's); default: on its own */
  recorder?: AttemptRecorder;
  /** called when the HTTP exchange is over, before the outcome is written */
  onResponse?: () => void;
  /** an attempt someone asked for: its audit entry, written in the attempt's transaction */
  audit?: AttemptAudit;
}

export interface AttemptResult {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  attemptNumber: number;
  success: boolean;
  responseStatus: number | null;
  failureClass: FailureClass | null;
  durationMs: number;
  deliveryStatus: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** the lease had lapsed and another attempt had begun: this one was recorded, the schedule left to that one */
  leaseLost: boolean;
  endpointDisabled: string | null;
}

let sharedSender: WebhookSender | undefined;

/** The process's sender for attempts made outside a dispatcher (replays). */
export function defaultSender(): WebhookSender {
  sharedSender ??= new WebhookSender(webhookConfig());
  return sharedSender;
}

export async function closeDefaultSender(): Promise<void> {
  await sharedSender?.close();
  sharedSender = undefined;
}

/** Sends a claimed delivery and records the outcome (see the file comment). */
export async function attemptClaimed(claimed: ClaimedDelivery, options: AttemptOptions): Promise<AttemptResult> {
  const config = webhookConfig();
  const startedAt = options.now ?? new Date();
  const sent = await sendSignedWebhook(options.sender ?? defaultSender(), {
    url: claimed.endpoint.url,
    secrets: claimed.endpoint.secrets,
    id: claimed.event.id,
    body: JSON.stringify(eventEnvelope(claimed.event)),
    startedAt,
    timeoutMs: options.timeoutMs ?? config.timeoutMs,
  });
  options.onResponse?.();
  const { finishedAt, failureClass, success, errorMessage } = sent;
  const attemptNumber = claimed.attemptCount + 1;
  const outcome = decideOutcome({
    current: claimed.status,
    attemptNumber,
    trigger: options.trigger,
    success,
    httpStatus: sent.httpStatus,
    retryAfterMs: parseRetryAfter(sent.retryAfter, finishedAt),
    finishedAt,
    random: options.random,
  });
  const ackPoolId =
    success &&
    (claimed.event.type === "inventory.updated" || claimed.event.type === "inventory.corrected") &&
    claimed.event.aggregateType === "pool" &&
    UUID.test(claimed.event.aggregateId)
      ? claimed.event.aggregateId
      : null;
  const correlationId = options.correlationId ?? claimed.event.correlationId;
  const record: AttemptRecord = {
    deliveryId: claimed.id,
    endpointId: claimed.endpointId,
    leaseToken: claimed.leaseToken,
    trigger: options.trigger,
    triggeredById: options.triggeredById ?? null,
    correlationId,
    startedAt,
    finishedAt,
    durationMs: sent.durationMs,
    success,
    httpStatus: sent.httpStatus,
    responseBody: sent.responseBody,
    failureClass,
    errorMessage,
    requestHeaders: sent.requestHeaders,
    signedWith: sent.signedWith,
    status: outcome.status,
    nextAttemptAt: outcome.nextAttemptAt,
    throttleUntil: outcome.throttleUntil,
    ack: ackPoolId ? { poolId: ackPoolId, version: claimed.event.aggregateVersion } : null,
    audit: options.audit ?? null,
  };
  const row = options.recorder ? await options.recorder.record(record) : (await recordAttempts([record]))[0]!;
  // Counted once its row is written, so webhook_attempts_total agrees with webhook_attempts:
  // an outcome that could not be recorded is attempted again, and counted then.
  countWebhookAttempt(failureClass === null ? "success" : (failureClass.toLowerCase() as Lowercase<FailureClass>));

  let endpointDisabled: string | null = null;
  const actor = systemActor("webhook-dispatcher", correlationId ?? `webhook_${claimed.id}`);
  if (outcome.gone) {
    const reason = `The endpoint answered 410 Gone at ${finishedAt.toISOString()}: the consumer asked for no more webhooks.`;
    if (await disableEndpointAutomatically(claimed.endpointId, reason, "gone", actor, finishedAt)) endpointDisabled = reason;
  } else if (!success && row.failingSince) {
    const span = options.disableAfterMs ?? config.disableAfterMs;
    if (finishedAt.getTime() - row.failingSince.getTime() >= span) {
      const hours = Math.round(span / 360_000) / 10;
      const reason = `Every attempt failed for ${hours} h (since ${row.failingSince.toISOString()}); last: ${errorMessage ?? "failure"}.`;
      if (await disableEndpointAutomatically(claimed.endpointId, reason, "failing", actor, finishedAt)) endpointDisabled = reason;
    }
  }
  if (endpointDisabled) logger.warn({ endpointId: claimed.endpointId, correlationId }, "webhook endpoint disabled automatically");

  return {
    deliveryId: claimed.id,
    endpointId: claimed.endpointId,
    eventId: claimed.event.id,
    attemptNumber: row.attemptNumber,
    success,
    responseStatus: sent.httpStatus,
    failureClass,
    durationMs: sent.durationMs,
    deliveryStatus: row.status,
    nextAttemptAt: row.nextAttemptAt,
    leaseLost: row.leaseLost,
    endpointDisabled,
  };
}

export type DeliverAttemptResult =
  | ({ kind: "attempted" } & AttemptResult)
  | { kind: "not_found"; deliveryId: string }
  | { kind: "in_flight"; deliveryId: string };

/**
 * One attempt at one delivery now, whatever its status — the entry point for replays
 * (MANUAL_REPLAY, BULK_REPLAY) and tests. The webhook-id stays the event id, so a
 * consumer dedupes a replay like any retry. A delivery another attempt holds comes back
 * `in_flight` (try again shortly); one whose endpoint was deleted, `not_found`. A
 * DISABLED endpoint is attempted (someone asked for it explicitly); the dispatcher never
 * attempts one on its own.
 */
export async function deliverAttempt(
  deliveryId: string,
  options: AttemptOptions & { trigger: AttemptTrigger; leaseMs?: number },
): Promise<DeliverAttemptResult> {
  const config = webhookConfig();
  const now = options.now ?? new Date();
  const claimed = await claimDelivery(deliveryId, { now, leaseMs: options.leaseMs ?? config.leaseMs });
  if (claimed.kind !== "claimed") return { kind: claimed.kind, deliveryId };
  return { kind: "attempted", ...(await attemptClaimed(claimed.delivery, { ...options, now })) };
}
