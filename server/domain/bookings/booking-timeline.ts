import { getDb } from "../../db";
import type { ActorType, AttemptTrigger, AuditResult, DeliveryStatus, FailureClass, InboundStatus } from "../../generated/prisma/enums";
import type { Actor } from "@/server/domain/shared/actor";
import type { BookingView } from "./booking-view";
import { getBooking } from "./get-booking";

/**
 * A booking's whole life as one timeline, for support: its events (state transitions,
 * hold and expiry, unit and pool changes, access grants and revokes — never a gate
 * code), each with every webhook delivery and attempt; its audit entries (who, from
 * where, why — refused calls too, on any transport, with the code their caller was
 * answered: ../audit/record-refusal); its idempotency records and replayed requests;
 * inbound payment webhooks naming it; partner calls on it refused without an audit entry
 * (a 422, a reused key, a 429), from the request log. Entries are grouped by correlation id, so one request's
 * effects read together, groups in the order they started.
 *
 * Every source is read through an index: events by booking_id, deliveries by event_id,
 * attempts by delivery_id, audit entries by (target_type, target_id) and correlation_id,
 * idempotency records by booking_id and (partner_id, key), the request log by
 * correlation_id and booking_references, inbound webhooks by booking_reference.
 */

const AUDIT_LIMIT = 500;

export interface TimelineActor {
  type: ActorType;
  label: string;
}

export interface TimelineAttempt {
  id: string;
  attemptNumber: number;
  trigger: AttemptTrigger;
  triggeredBy: string | null;
  startedAt: Date;
  durationMs: number | null;
  responseStatus: number | null;
  failureClass: FailureClass | null;
  errorMessage: string | null;
  /** which secret versions signed it (never the secret) */
  signedWith: string[];
}

export interface TimelineDelivery {
  id: string;
  endpointId: string;
  endpointUrl: string;
  partnerCode: string;
  status: DeliveryStatus;
  attemptCount: number;
  lastStatus: number | null;
  nextAttemptAt: Date | null;
  succeededAt: Date | null;
  deadAt: Date | null;
  attempts: TimelineAttempt[];
}

export interface TimelineRefusal {
  code: string;
  detail: string | null;
  /** the partner API call refused, e.g. "POST /api/v1/bookings/{reference}/confirm" */
  request: string | null;
}

interface EntryBase {
  /** unique within the timeline; the anchor of the entry (#entry-…) */
  key: string;
  at: Date;
  correlationId: string | null;
}

export type TimelineEntry =
  | (EntryBase & {
      kind: "event";
      eventId: string;
      type: string;
      aggregateVersion: number;
      /** the event's payload (events never carry secrets or gate codes) */
      data: Record<string, unknown>;
      /** who caused it, from the audit entry of the same request */
      actor: TimelineActor | null;
      reason: string | null;
      deliveries: TimelineDelivery[];
    })
  | (EntryBase & {
      kind: "audit";
      auditId: string;
      action: string;
      result: AuditResult;
      actor: TimelineActor;
      reason: string | null;
      ip: string | null;
      targetType: string;
      targetId: string | null;
      metadata: Record<string, unknown>;
      /** a refused call (DENIED / FAILED): the code and detail its caller was answered */
      refusal: TimelineRefusal | null;
    })
  | (EntryBase & {
      kind: "idempotency";
      recordId: string;
      idempotencyKey: string;
      method: string;
      path: string;
      state: "IN_PROGRESS" | "COMPLETED";
      responseStatus: number | null;
      replayCount: number;
      lastReplayedAt: Date | null;
      expiresAt: Date;
    })
  | (EntryBase & {
      kind: "replay";
      requestId: string;
      method: string;
      route: string;
      status: number;
      durationMs: number;
      partnerCode: string | null;
    })
  | (EntryBase & {
      /** a partner call on this booking refused with no audit entry of its own (422, 409 contention, 429, a key reused…) */
      kind: "refused_request";
      requestId: string;
      method: string;
      route: string;
      status: number;
      code: string | null;
      /** the problem's detail, as the partner read it */
      detail: string | null;
      partnerCode: string | null;
    })
  | (EntryBase & {
      kind: "payment";
      webhookId: string;
      type: string | null;
      status: InboundStatus;
      outcome: string | null;
      error: string | null;
    })
  | (EntryBase & { kind: "hold_lapsed" });

export interface TimelineGroup {
  /** null: entries no request names (e.g. a hold lapsing before the expiry job ran) */
  correlationId: string | null;
  startedAt: Date;
  actors: TimelineActor[];
  entries: TimelineEntry[];
}

export interface BookingTimeline {
  booking: BookingView;
  groups: TimelineGroup[];
  counts: { events: number; deliveries: number; attempts: number; audit: number; idempotency: number; replays: number; refusedRequests: number; payments: number };
}

/** Which audit action records the change an event describes. */
const AUDIT_ACTION_OF: Record<string, string[]> = {
  "booking.held": ["booking.hold"],
  "booking.confirmed": ["booking.confirm", "payment.apply"],
  "booking.fulfilled": ["booking.fulfil"],
  "booking.cancelled": ["booking.cancel", "payment.apply"],
  "booking.expired": ["booking.expire"],
  "booking.moved_out": ["booking.move_out"],
  "access.granted": ["booking.fulfil", "access.regenerate"],
  "access.revoked": ["booking.cancel", "payment.apply", "booking.move_out", "access.regenerate"],
  "access.suspended": ["unit.block", "unit.block_start"],
  "access.restored": ["unit.unblock", "unit.block_end"],
  "customer.erased": ["booking.erase_customer"],
};

/** Entries at the same instant: the change first, then its audit, then the rest. */
const KIND_ORDER: Record<TimelineEntry["kind"], number> = { event: 0, audit: 1, idempotency: 2, replay: 3, refused_request: 4, payment: 5, hold_lapsed: 6 };

const REFUSED_REQUEST_LIMIT = 200;

export async function getBookingTimeline(reference: string, actor: Actor, now = new Date()): Promise<BookingTimeline> {
  const booking = await getBooking(reference, actor, now);
  const db = getDb();

  const [events, audits, idempotency, payments, refusedRequests] = await Promise.all([
    db.event.findMany({
      where: { bookingId: booking.id },
      orderBy: { seq: "asc" },
      select: { id: true, type: true, aggregateVersion: true, correlationId: true, data: true, createdAt: true },
    }),
    db.auditEntry.findMany({
      where: { targetType: "booking", targetId: booking.reference },
      orderBy: { occurredAt: "asc" },
      take: AUDIT_LIMIT,
    }),
    db.idempotencyRecord.findMany({
      where: {
        OR: [
          { bookingId: booking.id },
          ...(booking.idempotencyKey ? [{ partnerId: booking.partnerId, key: booking.idempotencyKey }] : []),
        ],
      },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        key: true,
        method: true,
        path: true,
        state: true,
        responseStatus: true,
        replayCount: true,
        lastReplayedAt: true,
        correlationId: true,
        createdAt: true,
        expiresAt: true,
      },
    }),
    db.inboundWebhookEvent.findMany({
      where: { bookingReference: booking.reference },
      orderBy: { receivedAt: "asc" },
      select: { id: true, type: true, status: true, outcome: true, error: true, correlationId: true, receivedAt: true },
    }),
    // Refused partner calls naming the booking (docs/request-log.md): those no audit entry records show from here.
    db.apiRequestLog.findMany({
      where: { bookingReferences: { has: booking.reference.toUpperCase() }, status: { gte: 400 } },
      orderBy: { id: "asc" },
      take: REFUSED_REQUEST_LIMIT,
      select: { id: true, method: true, route: true, status: true, code: true, responseBody: true, correlationId: true, createdAt: true, partner: { select: { code: true } } },
    }),
  ]);

  const correlationIds = new Set<string>();
  for (const id of [
    booking.correlationId,
    ...events.map((e) => e.correlationId),
    ...audits.map((a) => a.correlationId),
    ...idempotency.map((r) => r.correlationId),
    ...payments.map((p) => p.correlationId),
    ...refusedRequests.map((r) => r.correlationId),
  ]) {
    if (id) correlationIds.add(id);
  }
  const cids = [...correlationIds];

  const seenAudit = new Set(audits.map((a) => a.id));
  const [relatedAudits, replays, deliveries] = await Promise.all([
    // What else those requests audited: a denied attempt, a payment applied, …
    cids.length
      ? db.auditEntry.findMany({ where: { correlationId: { in: cids } }, orderBy: { occurredAt: "asc" }, take: AUDIT_LIMIT })
      : [],
    cids.length
      ? db.apiRequestLog.findMany({
          where: { correlationId: { in: cids }, replayed: true },
          orderBy: { createdAt: "asc" },
          select: { id: true, method: true, route: true, status: true, durationMs: true, correlationId: true, createdAt: true, partner: { select: { code: true } } },
        })
      : [],
    events.length
      ? db.webhookDelivery.findMany({
          where: { eventId: { in: events.map((e) => e.id) } },
          orderBy: { createdAt: "asc" },
          select: {
            id: true,
            eventId: true,
            endpointId: true,
            status: true,
            attemptCount: true,
            lastStatus: true,
            nextAttemptAt: true,
            succeededAt: true,
            deadAt: true,
            endpoint: { select: { url: true, partner: { select: { code: true } } } },
            attempts: {
              orderBy: { attemptNumber: "asc" },
              select: {
                id: true,
                attemptNumber: true,
                trigger: true,
                startedAt: true,
                durationMs: true,
                responseStatus: true,
                failureClass: true,
                errorMessage: true,
                signedWith: true,
                triggeredBy: { select: { email: true } },
              },
            },
          },
        })
      : [],
  ]);
  const allAudits = [...audits, ...relatedAudits.filter((a) => !seenAudit.has(a.id))];

  const deliveriesByEvent = new Map<string, TimelineDelivery[]>();
  for (const delivery of deliveries) {
    const list = deliveriesByEvent.get(delivery.eventId) ?? [];
    list.push({
      id: delivery.id,
      endpointId: delivery.endpointId,
      endpointUrl: delivery.endpoint.url,
      partnerCode: delivery.endpoint.partner.code,
      status: delivery.status,
      attemptCount: delivery.attemptCount,
      lastStatus: delivery.lastStatus,
      nextAttemptAt: delivery.nextAttemptAt,
      succeededAt: delivery.succeededAt,
      deadAt: delivery.deadAt,
      attempts: delivery.attempts.map((a) => ({
        id: a.id,
        attemptNumber: a.attemptNumber,
        trigger: a.trigger,
        triggeredBy: a.triggeredBy?.email ?? null,
        startedAt: a.startedAt,
        durationMs: a.durationMs,
        responseStatus: a.responseStatus,
        failureClass: a.failureClass,
        errorMessage: a.errorMessage,
        signedWith: a.signedWith,
      })),
    });
    deliveriesByEvent.set(delivery.eventId, list);
  }

  const auditActor = (a: { actorType: ActorType; actorLabel: string }): TimelineActor => ({ type: a.actorType, label: a.actorLabel });

  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const actions = AUDIT_ACTION_OF[event.type] ?? [];
    const audit =
      allAudits.find((a) => a.correlationId === event.correlationId && a.result === "SUCCESS" && actions.includes(a.action)) ??
      allAudits.find((a) => a.correlationId === event.correlationId && a.result === "SUCCESS" && a.targetType === "booking");
    entries.push({
      kind: "event",
      key: event.id,
      at: event.createdAt,
      correlationId: event.correlationId,
      eventId: event.id,
      type: event.type,
      aggregateVersion: event.aggregateVersion,
      data,
      actor: audit ? auditActor(audit) : null,
      reason: typeof data.cancel_reason === "string" ? data.cancel_reason : typeof data.reason === "string" ? data.reason : (audit?.reason ?? null),
      deliveries: deliveriesByEvent.get(event.id) ?? [],
    });
  }
  for (const entry of allAudits) {
    entries.push({
      kind: "audit",
      key: `audit-${entry.id}`,
      at: entry.occurredAt,
      correlationId: entry.correlationId,
      auditId: entry.id.toString(),
      action: entry.action,
      result: entry.result,
      actor: auditActor(entry),
      reason: entry.reason,
      ip: entry.ip,
      targetType: entry.targetType,
      targetId: entry.targetId,
      metadata: (entry.metadata ?? {}) as Record<string, unknown>,
      refusal: entry.result === "SUCCESS" ? null : refusalOf((entry.metadata ?? {}) as Record<string, unknown>),
    });
  }
  for (const record of idempotency) {
    entries.push({
      kind: "idempotency",
      key: `idem-${record.id}`,
      at: record.createdAt,
      correlationId: record.correlationId,
      recordId: record.id,
      idempotencyKey: record.key,
      method: record.method,
      path: record.path,
      state: record.state,
      responseStatus: record.responseStatus,
      replayCount: record.replayCount,
      lastReplayedAt: record.lastReplayedAt,
      expiresAt: record.expiresAt,
    });
  }
  for (const request of replays) {
    entries.push({
      kind: "replay",
      key: `replay-${request.id}`,
      at: request.createdAt,
      correlationId: request.correlationId,
      requestId: request.id.toString(),
      method: request.method,
      route: request.route,
      status: request.status,
      durationMs: request.durationMs,
      partnerCode: request.partner?.code ?? null,
    });
  }
  // A refusal already audited (a business rule: HOLD_EXPIRED, INVALID_TRANSITION) shows as that audit entry.
  const auditedRefusals = new Set(allAudits.filter((a) => a.result !== "SUCCESS").map((a) => a.correlationId));
  for (const request of refusedRequests) {
    if (auditedRefusals.has(request.correlationId)) continue;
    entries.push({
      kind: "refused_request",
      key: `request-${request.id}`,
      at: request.createdAt,
      correlationId: request.correlationId,
      requestId: request.id.toString(),
      method: request.method,
      route: request.route,
      status: request.status,
      code: request.code,
      detail: problemDetail(request.responseBody),
      partnerCode: request.partner?.code ?? null,
    });
  }
  for (const payment of payments) {
    entries.push({
      kind: "payment",
      key: `payment-${payment.id}`,
      at: payment.receivedAt,
      correlationId: payment.correlationId,
      webhookId: payment.id,
      type: payment.type,
      status: payment.status,
      outcome: payment.outcome,
      error: payment.error,
    });
  }
  if (booking.status === "EXPIRED" && !events.some((e) => e.type === "booking.expired")) {
    // Past its hold, before the expiry job has released the unit.
    entries.push({ kind: "hold_lapsed", key: "hold-lapsed", at: booking.holdExpiresAt, correlationId: null });
  }

  return {
    booking,
    groups: groupByCorrelation(entries),
    counts: {
      events: events.length,
      deliveries: deliveries.length,
      attempts: deliveries.reduce((n, d) => n + d.attempts.length, 0),
      audit: allAudits.length,
      idempotency: idempotency.length,
      replays: replays.length,
      refusedRequests: refusedRequests.length,
      payments: payments.length,
    },
  };
}

/** The `detail` of a logged problem+json answer, if it is one. */
function problemDetail(body: string | null): string | null {
  if (!body) return null;
  try {
    const value = JSON.parse(body) as unknown;
    return value !== null && typeof value === "object" && typeof (value as { detail?: unknown }).detail === "string" ? (value as { detail: string }).detail : null;
  } catch {
    return null;
  }
}

/** The refusal recorded by ../audit/record-refusal in an audit entry's metadata. */
function refusalOf(metadata: Record<string, unknown>): TimelineRefusal | null {
  if (typeof metadata.code !== "string") return null;
  return {
    code: metadata.code,
    detail: typeof metadata.detail === "string" ? metadata.detail : null,
    request: typeof metadata.request === "string" ? metadata.request : null,
  };
}

function groupByCorrelation(entries: TimelineEntry[]): TimelineGroup[] {
  const sorted = [...entries].sort((a, b) => a.at.getTime() - b.at.getTime() || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  const groups = new Map<string, TimelineGroup>();
  for (const entry of sorted) {
    const id = entry.correlationId ?? `none:${entry.key}`;
    let group = groups.get(id);
    if (!group) {
      group = { correlationId: entry.correlationId, startedAt: entry.at, actors: [], entries: [] };
      groups.set(id, group);
    }
    group.entries.push(entry);
    const actor = entry.kind === "audit" ? entry.actor : entry.kind === "event" ? entry.actor : null;
    if (actor && !group.actors.some((a) => a.type === actor.type && a.label === actor.label)) group.actors.push(actor);
  }
  return [...groups.values()].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
}
