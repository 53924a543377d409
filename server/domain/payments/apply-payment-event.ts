import { getDb } from "../../db";
import type { Booking, InboundWebhookEvent } from "../../generated/prisma/client";
import type { InboundStatus } from "../../generated/prisma/enums";
import { cancelBooking } from "../bookings/cancel-booking";
import { confirmBooking } from "../bookings/confirm-booking";
import { effectiveStatus } from "../bookings/lifecycle";
import { writeAudit } from "@/server/domain/shared/audit";
import { isDomainError, type ErrorCode } from "@/server/domain/shared/errors";
import { inTransaction } from "@/server/domain/shared/transaction";
import type { SqlRow } from "@/server/domain/shared/sql-row";
import type { Tx } from "@/server/domain/shared/tx";
import {
  isPaymentEventType,
  PAYMENT_EVENT_TYPES,
  PAYMENT_SOURCE,
  PaymentEventData,
  paymentProviderActor,
  type PaymentEventType,
} from "./payment-event";

/**
 * Applies one stored payment event to its booking (the apply_payment_event job), once:
 *
 *   payment.authorized → confirm (TENTATIVE → CONFIRMED; CONFIRMED is a no-op)
 *   payment.failed     → cancel with reason "Payment failed" (TENTATIVE or CONFIRMED;
 *                        CANCELLED / EXPIRED are no-ops)
 *
 * Ordering: the provider's created_at decides. An event is applied only if no event for
 * the same booking with a later created_at has been received (whatever that one's state),
 * so a late, older event is IGNORED as "superseded" instead of undoing a newer one —
 * however the two happen to be processed. Events for one booking are serialised by an
 * advisory lock on its reference. (Equal created_at: both apply, in processing order.)
 *
 * Outcomes are final and never retried: a refusal by the booking (HOLD_EXPIRED,
 * INVALID_TRANSITION, NOT_FOUND) is recorded as FAILED with the reason, for staff to
 * follow up (e.g. refund a payment for an expired hold). A FULFILLED booking (the
 * customer has moved in) is never cancelled by a failed payment: FAILED, for staff.
 * Only unexpected errors (the database, lock contention) throw, so the job retries.
 *
 * Every outcome writes a `payment.apply` audit entry naming the provider's event, in the
 * same transaction as the inbound row's new status and the booking change itself.
 */

export type ApplyResult =
  | { kind: "applied"; status: Exclude<InboundStatus, "RECEIVED" | "REJECTED">; outcome: string; error: string | null }
  | { kind: "already-final"; status: InboundStatus }
  | { kind: "missing" };

const PAYMENT_FAILED_CANCEL_REASON = "Payment failed";

type InboundRow = SqlRow<
  InboundWebhookEvent,
  "id" | "type" | "status" | "payload" | "bookingReference" | "providerEventId" | "occurredAt" | "correlationId"
>;

interface Decision {
  status: Exclude<InboundStatus, "RECEIVED" | "REJECTED">;
  outcome: string;
  error: string | null;
}

const REFUSAL_OUTCOME: Partial<Record<ErrorCode, string>> = {
  HOLD_EXPIRED: "hold_expired",
  INVALID_TRANSITION: "invalid_transition",
  NOT_FOUND: "booking_not_found",
};

export async function applyPaymentEvent(
  inboundEventId: string,
  options: { correlationId?: string; now?: Date } = {},
): Promise<ApplyResult> {
  return inTransaction({}, async (tx) => {
    const rows = await tx.$queryRaw<InboundRow[]>`
      SELECT id, type, status, payload, booking_reference, provider_event_id, occurred_at, correlation_id
      FROM inbound_webhook_events
      WHERE id = ${inboundEventId} AND source = ${PAYMENT_SOURCE}
      FOR UPDATE`;
    const row = rows[0];
    if (!row) return { kind: "missing" };
    if (row.status !== "RECEIVED") return { kind: "already-final", status: row.status };

    const now = options.now ?? new Date();
    const correlationId = row.correlation_id ?? options.correlationId ?? `payment_${row.id}`;
    const data = PaymentEventData.safeParse((row.payload as { data?: unknown } | null)?.data);
    const type = row.type;
    if (!data.success || !type || !isPaymentEventType(type) || !row.occurred_at) {
      // Receipt validated all of this; a row that fails now was written by something else.
      const decision: Decision = { status: "FAILED", outcome: "invalid_payload", error: "The stored event is not a valid payment event." };
      await finish(tx, row.id, decision, now);
      return { kind: "applied", ...decision };
    }
    const reference = data.data.booking_reference;

    // One payment event per booking at a time (also when the booking does not exist).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('holdfast.payment-events'), hashtext(${reference}))`;
    const booking = await lockBooking(tx, reference);

    const newer = await newerEventFor(tx, row, reference);
    let decision: Decision;
    if (newer) {
      decision = {
        status: "IGNORED",
        outcome: "superseded",
        error: `Superseded by ${newer.type} event ${newer.id} created at ${newer.occurred_at.toISOString()}.`,
      };
    } else {
      decision = await applyToBooking(tx, type, reference, booking, correlationId, now);
    }

    await finish(tx, row.id, decision, now);
    await writeAudit(tx, paymentProviderActor(correlationId), {
      action: "payment.apply",
      targetType: "booking",
      targetId: reference,
      facilityId: booking?.facility_id ?? null,
      result: decision.status === "FAILED" ? "FAILED" : "SUCCESS",
      reason: decision.error,
      metadata: {
        webhook_id: row.id,
        provider_event_id: row.provider_event_id,
        event_type: type,
        event_created_at: row.occurred_at.toISOString(),
        amount_cents: data.data.amount_cents,
        currency: data.data.currency,
        status: decision.status,
        outcome: decision.outcome,
      },
      at: options.now,
    });
    return { kind: "applied", ...decision };
  });
}

type LockedBookingRow = SqlRow<Booking, "status" | "holdExpiresAt" | "facilityId" | "version">;

/** Locked before the domain service locks it again: the before/after comparison is exact. */
async function lockBooking(tx: Tx, reference: string): Promise<LockedBookingRow | null> {
  const rows = await tx.$queryRaw<LockedBookingRow[]>`
    SELECT status, hold_expires_at, facility_id, version FROM bookings WHERE reference = ${reference} FOR UPDATE`;
  return rows[0] ?? null;
}

async function newerEventFor(
  tx: Tx,
  row: InboundRow,
  reference: string,
): Promise<{ id: string; type: string; occurred_at: Date } | null> {
  const rows = await tx.$queryRaw<{ id: string; type: string; occurred_at: Date }[]>`
    SELECT id, type, occurred_at FROM inbound_webhook_events
    WHERE booking_reference = ${reference}
      AND source = ${PAYMENT_SOURCE}
      AND id <> ${row.id}
      AND type = ANY(${[...PAYMENT_EVENT_TYPES]}::text[])
      AND status <> 'REJECTED'
      AND occurred_at > ${row.occurred_at}
    ORDER BY occurred_at DESC
    LIMIT 1`;
  return rows[0] ?? null;
}

async function applyToBooking(
  tx: Tx,
  type: PaymentEventType,
  reference: string,
  booking: LockedBookingRow | null,
  correlationId: string,
  now: Date,
): Promise<Decision> {
  if (!booking) return { status: "FAILED", outcome: "booking_not_found", error: `Booking ${reference} was not found.` };
  const before = effectiveStatus({ status: booking.status, holdExpiresAt: booking.hold_expires_at }, now);
  if (type === "payment.failed" && before === "FULFILLED") {
    return {
      status: "FAILED",
      outcome: "booking_fulfilled",
      error: `Booking ${reference} is fulfilled (the customer has moved in); a failed payment does not move them out. Left for staff.`,
    };
  }

  const actor = paymentProviderActor(correlationId);
  // A refusal is thrown before the service writes anything, but the savepoint makes sure
  // that whatever it did is undone before the refusal is recorded in this transaction.
  await tx.$executeRaw`SAVEPOINT apply_payment_event`;
  try {
    const after =
      type === "payment.authorized"
        ? await confirmBooking(reference, actor, { tx, now })
        : await cancelBooking(reference, { reason: PAYMENT_FAILED_CANCEL_REASON }, actor, { tx, now });
    await tx.$executeRaw`RELEASE SAVEPOINT apply_payment_event`;
    const changed = after.version !== booking.version;
    const verb = type === "payment.authorized" ? "confirmed" : "cancelled";
    return {
      status: "PROCESSED",
      outcome: changed ? verb : `already_${before.toLowerCase()}`,
      error: null,
    };
  } catch (error) {
    const outcome = isDomainError(error) ? REFUSAL_OUTCOME[error.code] : undefined;
    if (!outcome || !isDomainError(error)) throw error;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT apply_payment_event`;
    return { status: "FAILED", outcome, error: error.message };
  }
}

async function finish(tx: Tx, id: string, decision: Decision, now: Date): Promise<void> {
  await tx.inboundWebhookEvent.update({
    where: { id },
    data: { status: decision.status, outcome: decision.outcome, error: decision.error, processedAt: now },
  });
}

/**
 * After the job's last attempt failed on an unexpected error: the event is marked FAILED
 * with the error, so it shows up for staff instead of sitting RECEIVED for ever.
 */
export async function markPaymentEventFailed(inboundEventId: string, error: string): Promise<boolean> {
  const { count } = await getDb().inboundWebhookEvent.updateMany({
    where: { id: inboundEventId, source: PAYMENT_SOURCE, status: "RECEIVED" },
    data: { status: "FAILED", outcome: "error", error: error.slice(0, 1000), processedAt: new Date() },
  });
  return count === 1;
}
