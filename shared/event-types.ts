/**
 * The event types of docs/webhooks.md#event-types. Pure (no imports), so the console's
 * client code can use the same list the outbox writes.
 */
export const EVENT_TYPES = [
  "booking.held",
  "booking.confirmed",
  "booking.fulfilled",
  "booking.expired",
  "booking.cancelled",
  "booking.moved_out",
  "inventory.updated",
  "inventory.corrected",
  "unit.blocked",
  "unit.unblocked",
  "access.granted",
  "access.revoked",
  "access.suspended",
  "access.restored",
  "customer.erased",
  // the catalogue (docs/domain.md#catalogue)
  "facility.created",
  "facility.updated",
  "unit_type.created",
  "unit_type.updated",
  "unit.added",
  "unit.retired",
  "unit.retyped",
  "unit.updated",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
