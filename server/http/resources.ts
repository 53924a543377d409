import type { RevealedAccessCode } from "../domain/access/reveal-access-code";
import type { BookingView } from "../domain/bookings/booking-view";
import { eventEnvelope } from "../domain/events/event-envelope";
import type { FeedEvent } from "../domain/events/list-event-feed";
import type { CatalogueFacility } from "../domain/catalogue/catalogue-view";
import type { ImportDetail } from "../domain/catalogue/imports/get-import";
import type { ImportRowView, ImportView } from "../domain/catalogue/imports/import-view";
import type { FacilityWithUnitTypes } from "../domain/inventory/list-facilities";
import type { PoolAvailability } from "../domain/inventory/list-availability";
import type { AvailabilitySnapshotView } from "../domain/inventory/record-availability-snapshot";
import type { WebhookEndpointWithHealth } from "../domain/webhooks/endpoints/get-webhook-endpoint";
import type { WebhookEndpointView } from "../domain/webhooks/endpoints/webhook-endpoint-view";
import type { ApiRequestView } from "../domain/request-log/list-api-requests";
import {
  AccessCodeResource,
  BookingResource,
  EventPageResource,
  EventResource,
  FacilityDetailResource,
  FacilityListResource,
  FacilityResource,
  ImportDetailResource,
  ImportResource,
  PoolListResource,
  PoolResource,
  RequestLogListResource,
  RequestLogResource,
  SnapshotResource,
  WebhookEndpointHealthResource,
  WebhookEndpointListResource,
  WebhookEndpointResource,
  WebhookEndpointWithSecretResource,
} from "./api-schemas";

/**
 * Domain views → the partner API's snake_case resources (shapes:
 * docs/partner-api.md#resources). Every body is parsed through the zod schema the OpenAPI
 * document is generated from (server/http/api-schemas.ts), so a response cannot drift from
 * the document: a field the schema does not name is dropped, and a value it does not allow
 * fails loudly (500, logged) instead of reaching a partner.
 */

export function bookingResource(b: BookingView) {
  return BookingResource.parse({
    reference: b.reference,
    status: b.status.toLowerCase(),
    facility_code: b.facilityCode,
    unit_type_code: b.unitTypeCode,
    unit_code: b.unitCode,
    partner_booking_reference: b.partnerBookingReference,
    customer: { name: b.customer.name, email: b.customer.email, phone: b.customer.phone },
    move_in_date: b.moveInDate,
    hold_expires_at: b.holdExpiresAt.toISOString(),
    inventory_version: b.inventoryVersion,
    idempotency_key: b.idempotencyKey,
    last_event_at: b.lastEventAt.toISOString(),
    created_at: b.createdAt.toISOString(),
    ...(b.status === "CANCELLED" ? { cancel_reason: b.cancelReason } : {}),
    ...(b.status === "MOVED_OUT" && b.movedOutAt ? { moved_out_at: b.movedOutAt.toISOString() } : {}),
    allowed_actions: b.allowedActions,
  });
}

export function accessCodeResource(a: RevealedAccessCode) {
  return AccessCodeResource.parse({
    reference: a.reference,
    access_grant_id: a.accessGrantId,
    status: a.status.toLowerCase(),
    issued_at: a.issuedAt.toISOString(),
    access_code: a.accessCode,
  });
}

export function poolResource(p: PoolAvailability) {
  return PoolResource.parse({
    facility_code: p.facilityCode,
    unit_type_code: p.unitTypeCode,
    total: p.total,
    available: p.available,
    held: p.held,
    booked: p.booked,
    occupied: p.occupied,
    blocked: p.blocked,
    inventory_version: p.inventoryVersion,
  });
}

export function facilityResource(f: FacilityWithUnitTypes) {
  return FacilityResource.parse({
    facility_code: f.code,
    name: f.name,
    timezone: f.timezone,
    currency: f.currency,
    address: { line1: f.address.line1, city: f.address.city, postal_code: f.address.postalCode, country: f.address.country },
    access_hours: f.accessHours,
    unit_types: f.unitTypes.map((t) => ({
      unit_type_code: t.code,
      name: t.name,
      width_ft: t.widthFt,
      depth_ft: t.depthFt,
      area_sq_ft: t.areaSqFt,
      climate_controlled: t.climateControlled,
      monthly_rate_cents: t.monthlyRateCents,
    })),
  });
}

/** A facility's catalogue: unit types with the rate in force and the scheduled ones, and pool counts. */
export function facilityDetailResource(f: CatalogueFacility) {
  return FacilityDetailResource.parse({
    facility_code: f.code,
    previous_codes: f.previousCodes,
    name: f.name,
    timezone: f.timezone,
    currency: f.currency,
    address: { line1: f.address.line1, city: f.address.city, postal_code: f.address.postalCode, country: f.address.country },
    access_hours: f.accessHours,
    today: f.today,
    unit_types: f.unitTypes.map((t) => ({
      unit_type_code: t.code,
      previous_codes: t.previousCodes,
      name: t.name,
      width_ft: t.widthFt,
      depth_ft: t.depthFt,
      area_sq_ft: t.areaSqFt,
      climate_controlled: t.climateControlled,
      features: t.features,
      monthly_rate_cents: t.monthlyRateCents,
      scheduled_rates: t.scheduledRates.map((r) => ({ effective_from: r.effectiveFrom, monthly_rate_cents: r.monthlyRateCents })),
      total: t.pool.total,
      available: t.pool.available,
      inventory_version: t.pool.inventoryVersion,
    })),
  });
}

/** The event envelope, identical to a webhook's payload (docs/webhooks.md#what-is-sent). */
export function eventResource(e: FeedEvent) {
  return EventResource.parse(eventEnvelope(e));
}

export function snapshotResource(s: AvailabilitySnapshotView) {
  return SnapshotResource.parse({
    id: s.id,
    facility_code: s.facilityCode,
    unit_type_code: s.unitTypeCode,
    available: s.available,
    inventory_version: s.inventoryVersion,
    reported_at: s.reportedAt.toISOString(),
    current: { available: s.current.available, inventory_version: s.current.inventoryVersion },
  });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A webhook endpoint as partners see it: never its secret (only create and rotate return one). */
export function webhookEndpointResource(e: WebhookEndpointView) {
  return WebhookEndpointResource.parse({
    id: e.id,
    url: e.url,
    description: e.description,
    event_types: e.eventTypes,
    status: e.status === "ACTIVE" ? ("active" as const) : ("disabled" as const),
    disabled_reason: e.disabledReason,
    disabled_at: iso(e.disabledAt),
    secret_version: e.secretVersion,
    previous_secret_expires_at: iso(e.previousSecretExpiresAt),
    created_at: e.createdAt.toISOString(),
  });
}

/** Only create and rotate return the secret, this once. */
export function webhookEndpointWithSecretResource(e: WebhookEndpointView, secret: string) {
  return WebhookEndpointWithSecretResource.parse({ ...webhookEndpointResource(e), secret });
}

export function webhookEndpointHealthResource(e: WebhookEndpointWithHealth) {
  const h = e.health;
  return WebhookEndpointHealthResource.parse({
    ...webhookEndpointResource(e),
    health: {
      window_hours: h.windowHours,
      attempts: h.attempts,
      success_rate: h.successRate,
      latency_p50_ms: h.latencyP50Ms,
      latency_p95_ms: h.latencyP95Ms,
      consecutive_failures: h.consecutiveFailures,
      failing_since: iso(h.failingSince),
      last_success_at: iso(h.lastSuccessAt),
      last_failure_at: iso(h.lastFailureAt),
      pending_deliveries: h.pendingDeliveries,
      dead_deliveries: h.deadDeliveries,
      oldest_undelivered: h.oldestUndelivered
        ? {
            event_id: h.oldestUndelivered.eventId,
            event_type: h.oldestUndelivered.eventType,
            created_at: h.oldestUndelivered.createdAt.toISOString(),
            lag_seconds: h.oldestUndelivered.lagSeconds,
          }
        : null,
      pool_acks: h.poolAcks.map((a) => ({
        facility_code: a.facilityCode,
        unit_type_code: a.unitTypeCode,
        acked_version: a.ackedVersion,
        current_version: a.currentVersion,
        versions_behind: a.versionsBehind,
        acked_at: a.ackedAt.toISOString(),
      })),
    },
  });
}

/** A catalogue import (docs/partner-api.md#catalogue-imports): its state, the dry run's plan and the progress of applying it. */
export function importResource(i: ImportView) {
  return ImportResource.parse(importFields(i));
}

/** An import with a page of its rows (GET /api/v1/imports/{import_id}). */
export function importDetailResource(i: ImportDetail) {
  return ImportDetailResource.parse({ ...importFields(i), rows: i.rows.map(importRowFields), next_after_line: i.nextAfterLine });
}

function importFields(i: ImportView) {
  return {
    id: i.id,
    facility_code: i.facilityCode,
    status: i.status.toLowerCase(),
    dry_run: i.dryRun,
    format: i.format,
    file_name: i.fileName,
    plan: { rows: i.plan.rows, add: i.plan.add, change: i.plan.change, retire: i.plan.retire, unchanged: i.plan.unchanged, errors: i.plan.errors },
    progress: {
      to_apply: i.progress.toApply,
      processed: i.progress.processed,
      added: i.progress.added,
      changed: i.progress.changed,
      retired: i.progress.retired,
      failed: i.progress.failed,
      percent: i.progress.percent,
    },
    error: i.error,
    created_at: i.createdAt.toISOString(),
    planned_at: iso(i.plannedAt),
    started_at: iso(i.startedAt),
    finished_at: iso(i.finishedAt),
    cancelled_at: iso(i.cancelledAt),
  };
}

function importRowFields(r: ImportRowView) {
  return {
    line: r.line,
    unit_code: r.unitCode,
    unit_type_code: r.unitTypeCode,
    floor: r.floor,
    action: r.action.toLowerCase(),
    status: r.status.toLowerCase(),
    before: r.before ? { unit_type_code: r.before.unit_type_code, floor: r.before.floor, status: r.before.status } : null,
    error: r.error ? { code: r.error.code, message: r.error.message, ...(r.error.field ? { field: r.error.field } : {}) } : null,
  };
}

// Lists: { data, next_cursor } (docs/partner-api.md#resources), the items already parsed
// above.

export function facilityList(items: ReturnType<typeof facilityResource>[]) {
  return FacilityListResource.parse({ data: items, next_cursor: null });
}

export function poolList(items: ReturnType<typeof poolResource>[]) {
  return PoolListResource.parse({ data: items, next_cursor: null });
}

export function eventPage(items: ReturnType<typeof eventResource>[], nextCursor: string | null, hasMore: boolean) {
  return EventPageResource.parse({ data: items, next_cursor: nextCursor, has_more: hasMore });
}

export function webhookEndpointList(items: ReturnType<typeof webhookEndpointResource>[], nextCursor: string | null) {
  return WebhookEndpointListResource.parse({ data: items, next_cursor: nextCursor });
}

/** A request-log entry as the partner sees its own (GET /api/v1/request-logs). */
export function requestLogResource(r: ApiRequestView) {
  return RequestLogResource.parse({
    id: r.id,
    created_at: r.createdAt.toISOString(),
    method: r.method,
    route: r.route,
    path: r.path,
    query: r.query,
    status: r.status,
    code: r.code,
    duration_ms: r.durationMs,
    key_prefix: r.keyPrefix,
    idempotency_key: r.idempotencyKey,
    replayed: r.replayed,
    correlation_id: r.correlationId,
    ip: r.ip,
    user_agent: r.userAgent,
    booking_references: r.bookingReferences,
    request_body: r.requestBody,
    response_body: r.responseBody,
    request_truncated: r.requestTruncated,
    response_truncated: r.responseTruncated,
  });
}

export function requestLogList(items: ReturnType<typeof requestLogResource>[], nextCursor: string | null) {
  return RequestLogListResource.parse({ data: items, next_cursor: nextCursor });
}
