import type { BookingView } from "../domain/bookings/booking-view";
import type { FeedEvent } from "../domain/events/list-event-feed";
import type { FacilityWithUnitTypes } from "../domain/inventory/list-facilities";
import type { PoolAvailability } from "../domain/inventory/list-availability";
import type { AvailabilitySnapshotView } from "../domain/inventory/record-availability-snapshot";

/** Domain views → the partner API's snake_case resources (DESIGN.md §2 shapes). */

export function bookingResource(b: BookingView) {
  return {
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
    allowed_actions: b.allowedActions,
  };
}

export function poolResource(p: PoolAvailability) {
  return {
    facility_code: p.facilityCode,
    unit_type_code: p.unitTypeCode,
    total: p.total,
    available: p.available,
    held: p.held,
    booked: p.booked,
    occupied: p.occupied,
    blocked: p.blocked,
    inventory_version: p.inventoryVersion,
  };
}

export function facilityResource(f: FacilityWithUnitTypes) {
  return {
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
  };
}

/** The event envelope, identical to a webhook's payload (DESIGN.md §3). */
export function eventResource(e: FeedEvent) {
  return {
    id: e.id,
    type: e.type,
    schema_version: e.schemaVersion,
    created_at: e.createdAt.toISOString(),
    correlation_id: e.correlationId,
    aggregate_version: e.aggregateVersion,
    data: e.data,
  };
}

export function snapshotResource(s: AvailabilitySnapshotView) {
  return {
    id: s.id,
    facility_code: s.facilityCode,
    unit_type_code: s.unitTypeCode,
    available: s.available,
    inventory_version: s.inventoryVersion,
    reported_at: s.reportedAt.toISOString(),
    current: { available: s.current.available, inventory_version: s.current.inventoryVersion },
  };
}
