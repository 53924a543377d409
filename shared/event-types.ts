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
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
