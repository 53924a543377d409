import { newId } from "./ids";
import type { Tx } from "./tx";

export const EVENT_TYPES = [
  "booking.held",
  "booking.confirmed",
  "booking.fulfilled",
  "booking.expired",
  "booking.cancelled",
  "inventory.updated",
  "inventory.corrected",
  "unit.blocked",
  "unit.unblocked",
  "access.granted",
  "access.revoked",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export interface NewEvent {
  type: EventType;
  aggregateType: "booking" | "pool" | "unit";
  aggregateId: string;
  aggregateVersion: number;
  facilityId?: string | null;
  partnerId?: string | null;
  bookingId?: string | null;
  correlationId: string;
  data: Record<string, unknown>;
  /** for the seed's simulated clock; defaults to the database's now() */
  createdAt?: Date;
}

/**
 * Appends an event to the outbox in the caller's transaction: it is committed, or lost,
 * together with the change it describes.
 */
export async function appendEvent(tx: Tx, event: NewEvent): Promise<string> {
  const id = newId("evt", event.createdAt?.getTime());
  await tx.event.create({
    data: {
      id,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      aggregateVersion: event.aggregateVersion,
      facilityId: event.facilityId ?? null,
      partnerId: event.partnerId ?? null,
      bookingId: event.bookingId ?? null,
      correlationId: event.correlationId,
      data: event.data as object,
      ...(event.createdAt ? { createdAt: event.createdAt } : {}),
    },
  });
  return id;
}
