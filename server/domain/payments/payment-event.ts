import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { pgIsoDateTime } from "@/server/domain/shared/safe-input";

/**
 * Inbound payment events (docs/partner-api.md#inbound-payment-webhooks): Standard
 * Webhooks-signed by the payment provider, stored in inbound_webhook_events before the
 * provider gets its 2xx, and applied to the booking by the apply_payment_event job.
 */

/** inbound_webhook_events.source of every row this module writes */
export const PAYMENT_SOURCE = "payment-provider";

/** Bodies above this are refused (413) before any parsing; payment events are tiny. */
export const MAX_PAYMENT_WEBHOOK_BYTES = 64 * 1024;

/** How much of a refused or malformed body is kept for the log. */
const KEPT_BODY_CHARS = 2048;

export const PAYMENT_EVENT_TYPES = ["payment.authorized", "payment.failed"] as const;
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

export function isPaymentEventType(type: string): type is PaymentEventType {
  return (PAYMENT_EVENT_TYPES as readonly string[]).includes(type);
}

/**
 * The envelope every provider event has. Not `.strict()`: this is a third party's
 * payload, and a field the provider adds tomorrow must not make us refuse its events.
 */
export const PaymentEventEnvelope = z.object({
  id: z.string().trim().min(1).max(255),
  type: z.string().trim().min(1).max(100),
  created_at: pgIsoDateTime(),
  data: z.unknown(),
});

export const PaymentEventData = z.object({
  booking_reference: z.string().trim().min(1).max(64),
  amount_cents: z.number().int().min(0).max(1_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as GBP"),
});

/** The webhook-id header becomes a primary key: bounded, visible ASCII. */
export function isSaneWebhookId(value: string): boolean {
  return /^[\x21-\x7e]{1,255}$/.test(value);
}

/**
 * The payment provider as an actor: it may confirm or cancel any booking (it is not a
 * partner, so lockBookingForActor's partner scoping does not apply; facilityIds null).
 */
export function paymentProviderActor(correlationId: string): Actor {
  return {
    type: "PAYMENT_PROVIDER",
    id: PAYMENT_SOURCE,
    label: PAYMENT_SOURCE,
    scopes: [],
    facilityIds: null,
    correlationId,
  };
}

export function cut(text: string, max = KEPT_BODY_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}…[${text.length - max} more characters]`;
}
