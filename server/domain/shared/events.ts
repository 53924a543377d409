import { EVENT_TYPES, type EventType } from "../../../shared/event-types";
import { newId } from "./ids";
import type { Tx } from "./tx";

export { EVENT_TYPES, type EventType };

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
  // Raw SQL: this runs inside every state change while its pool lock is held.
  await tx.$executeRaw`
    INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, facility_id, partner_id,
                        booking_id, correlation_id, data, created_at)
    VALUES (${id}, ${event.type}, ${event.aggregateType}, ${event.aggregateId}, ${event.aggregateVersion},
            ${event.facilityId ?? null}::uuid, ${event.partnerId ?? null}::uuid, ${event.bookingId ?? null}::uuid,
            ${event.correlationId}, ${JSON.stringify(event.data)}::jsonb, coalesce(${event.createdAt ?? null}::timestamptz, now()))`;
  return id;
}
