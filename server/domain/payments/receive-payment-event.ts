import { consumeInboundRejection } from "@/server/domain/rate-limits/consume";
import crypto from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { getDb } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { logger } from "../../observability/logger";
import type { FieldError } from "@/server/domain/shared/errors";
import { JOBS } from "@/server/domain/shared/jobs";
import { parseSafeJson } from "@/server/domain/shared/safe-input";
import { inTransaction } from "@/server/domain/shared/transaction";
import { fieldErrorsFromZod } from "@/server/domain/shared/validation";
import {
  cut,
  isPaymentEventType,
  isSaneWebhookId,
  PAYMENT_SOURCE,
  PaymentEventData,
  PaymentEventEnvelope,
} from "./payment-event";

/**
 * Receiving one inbound payment webhook: verify → store → enqueue
 * (docs/conventions.md#layers-and-imports, "Inbound webhooks"). The provider gets its 2xx
 * only once the event is committed with its apply job; the booking is changed later, by
 * that job.
 *
 * - bad, missing or stale signature → `rejected` (stored REJECTED under a synthetic id:
 *   the webhook-id of an unverified request cannot be trusted, nor used as a key)
 * - valid, but not an event we can read → `invalid` (stored FAILED; the route answers
 *   422 so the failure shows in the provider's dashboard, and a retry of the same
 *   message gets the same answer)
 * - valid, a type we do not handle → `ignored` (stored IGNORED; answered 2xx so the
 *   provider stops sending it)
 * - valid → `accepted` (stored RECEIVED + job, in one transaction); a repeat of a
 *   webhook-id changes nothing and is reported as a duplicate
 */

export interface SignatureHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

export interface ReceivePaymentEventInput {
  rawBody: string;
  headers: SignatureHeaders;
  /** the provider's whsec_ signing secret */
  secret: string;
  correlationId: string;
  /** the sender's address (server/http/client-ip.ts): refused deliveries are rate-limited per address before they are stored */
  clientIp?: string | null;
}

export type ReceiveResult =
  | { kind: "rejected"; reason: string }
  | { kind: "throttled"; retryAfterSeconds: number }
  | { kind: "invalid"; webhookId: string; duplicate: boolean; message: string; fieldErrors: FieldError[] }
  | { kind: "ignored"; webhookId: string; duplicate: boolean; type: string }
  | { kind: "accepted"; webhookId: string; duplicate: boolean };

export async function receivePaymentEvent(input: ReceivePaymentEventInput): Promise<ReceiveResult> {
  const verified = verifySignature(input.rawBody, input.headers, input.secret);
  if (!verified.ok) {
    const rate = await consumeInboundRejection(input.clientIp ?? null);
    if (!rate.allowed) return { kind: "throttled", retryAfterSeconds: rate.resetSeconds };
    await recordRejectedPaymentEvent({
      reason: verified.reason,
      rawBody: input.rawBody,
      claimedWebhookId: input.headers.id,
      correlationId: input.correlationId,
    });
    return { kind: "rejected", reason: verified.reason };
  }
  const webhookId = verified.webhookId;
  const base = { id: webhookId, source: PAYMENT_SOURCE, correlationId: input.correlationId };

  // Nesting depth is checked on the raw text before parsing (5,000 levels overflowed the
  // stack), then what jsonb cannot hold (NUL, lone surrogates) — refused, not a 500 the
  // provider retries for ever (safe-input.ts).
  const parsed = parseSafeJson(input.rawBody);
  if (!parsed.ok) {
    const message = parsed.syntax
      ? "The body is not valid JSON."
      : `The body is not JSON we can store: ${parsed.problem.path ? `${parsed.problem.path} ` : ""}${parsed.problem.message}.`;
    const duplicate = !(await storeFinal({ ...base, status: "FAILED", rawBody: storable(cut(input.rawBody)), outcome: "invalid_payload", error: message }));
    return { kind: "invalid", webhookId, duplicate, message, fieldErrors: [{ path: "body", message }] };
  }
  const json = parsed.value;

  const envelope = PaymentEventEnvelope.safeParse(json);
  if (!envelope.success) {
    const fieldErrors = fieldErrorsFromZod(envelope.error, { root: "body" });
    const message = "The event is not a payment event: see errors.";
    const claimedType = typeof (json as { type?: unknown })?.type === "string" ? cut((json as { type: string }).type, 100) : null;
    const duplicate = !(await storeFinal({
      ...base,
      status: "FAILED",
      type: claimedType,
      rawBody: cut(input.rawBody),
      payload: asJson(json),
      outcome: "invalid_payload",
      error: summarise(fieldErrors),
    }));
    return { kind: "invalid", webhookId, duplicate, message, fieldErrors };
  }

  const event = envelope.data;
  const known = {
    ...base,
    type: event.type,
    rawBody: input.rawBody,
    payload: asJson(json),
    providerEventId: event.id,
    occurredAt: new Date(event.created_at),
  };

  if (!isPaymentEventType(event.type)) {
    const duplicate = !(await storeFinal({
      ...known,
      status: "IGNORED",
      outcome: "unknown_type",
      error: `Event type ${event.type} is not handled.`,
    }));
    return { kind: "ignored", webhookId, duplicate, type: event.type };
  }

  const data = PaymentEventData.safeParse(event.data);
  if (!data.success) {
    const fieldErrors = fieldErrorsFromZod(data.error, { under: "data" });
    const duplicate = !(await storeFinal({ ...known, status: "FAILED", outcome: "invalid_payload", error: summarise(fieldErrors) }));
    return { kind: "invalid", webhookId, duplicate, message: `The ${event.type} event's data is not valid: see errors.`, fieldErrors };
  }

  // Stored and enqueued together: a job exists for every RECEIVED row, and a repeat of
  // the webhook-id (ON CONFLICT DO NOTHING) enqueues nothing.
  const inserted = await inTransaction({}, async (tx) => {
    const { count } = await tx.inboundWebhookEvent.createMany({
      data: [{ ...known, status: "RECEIVED", bookingReference: data.data.booking_reference }],
      skipDuplicates: true,
    });
    if (count === 1) {
      await enqueueJob(tx, JOBS.applyPaymentEvent, { inboundEventId: webhookId, correlationId: input.correlationId }, { maxAttempts: 10 });
    }
    return count === 1;
  });
  return { kind: "accepted", webhookId, duplicate: !inserted };
}

type Verification = { ok: true; webhookId: string } | { ok: false; reason: string };

/**
 * Standard Webhooks, via the reference library: HMAC-SHA256 over `id.timestamp.body`,
 * any of the `v1,` signatures may match, and the timestamp must be within 5 minutes
 * either way (the library's fixed tolerance, which is the one we want).
 */
function verifySignature(rawBody: string, headers: SignatureHeaders, secret: string): Verification {
  const missing = (["id", "timestamp", "signature"] as const).filter((k) => !headers[k]).map((k) => `webhook-${k}`);
  if (missing.length) return { ok: false, reason: `Missing header(s): ${missing.join(", ")}.` };
  if (!isSaneWebhookId(headers.id!)) return { ok: false, reason: "The webhook-id header is not 1–255 visible ASCII characters." };
  // Constructed per request (cheap): a secret changed in the environment takes effect on restart only anyway.
  const webhook = new Webhook(secret);
  try {
    webhook.verify(
      rawBody,
      { "webhook-id": headers.id!, "webhook-timestamp": headers.timestamp!, "webhook-signature": headers.signature! },
      { jsonParse: false },
    );
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    return { ok: false, reason: verificationReason(error.message) };
  }
  return { ok: true, webhookId: headers.id! };
}

function verificationReason(message: string): string {
  switch (message) {
    case "Message timestamp too old":
      return "The webhook-timestamp is more than 5 minutes old.";
    case "Message timestamp too new":
      return "The webhook-timestamp is more than 5 minutes in the future.";
    case "Invalid Signature Headers":
      return "The webhook-timestamp is not a Unix time in seconds.";
    case "No matching signature found":
      return "No webhook-signature matches the body.";
    default:
      return `Signature verification failed: ${message}`;
  }
}

/**
 * Keeps a refused delivery for the log: REJECTED, under a synthetic id, with the start of
 * the body and the reason (which names the claimed webhook-id). A database failure here
 * must not change the answer, so it is logged and swallowed.
 */
export async function recordRejectedPaymentEvent(input: {
  reason: string;
  rawBody: string;
  claimedWebhookId: string | null;
  correlationId: string;
}): Promise<string | null> {
  const id = `rej_${crypto.randomUUID()}`;
  const claimed = input.claimedWebhookId ? ` (claimed webhook-id: ${cut(input.claimedWebhookId, 255)})` : "";
  try {
    await getDb().inboundWebhookEvent.create({
      data: {
        id,
        source: PAYMENT_SOURCE,
        status: "REJECTED",
        rawBody: storable(cut(input.rawBody)),
        outcome: "rejected",
        error: `${input.reason}${claimed}`,
        correlationId: input.correlationId,
        processedAt: new Date(),
      },
    });
    return id;
  } catch (error) {
    logger.error({ err: error, correlationId: input.correlationId }, "payment webhook: could not record a rejected delivery");
    return null;
  }
}

type FinalRow = Omit<Prisma.InboundWebhookEventCreateManyInput, "status" | "processedAt"> & {
  status: "FAILED" | "IGNORED";
};

/** Stores an event that needs no job (already final); false when the webhook-id was seen before. */
async function storeFinal(row: FinalRow): Promise<boolean> {
  const { count } = await getDb().inboundWebhookEvent.createMany({ data: [{ ...row, processedAt: new Date() }], skipDuplicates: true });
  return count === 1;
}

/** Text PostgreSQL can store (it has no NUL). */
function storable(text: string): string {
  return text.replaceAll("\u0000", "\uFFFD");
}

/** A parsed body as a Json column value (a JSON `null` body is kept only as raw_body). */
function asJson(value: unknown): Prisma.InputJsonValue | undefined {
  return value === null ? undefined : (value as Prisma.InputJsonValue);
}

function summarise(errors: FieldError[]): string {
  return cut(errors.map((e) => `${e.path}: ${e.message}`).join("; "), 1000);
}
