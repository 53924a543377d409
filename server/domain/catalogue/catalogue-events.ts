import { appendEvent, type EventType } from "@/server/domain/shared/events";
import type { Tx } from "@/server/domain/shared/tx";

/**
 * A facility.* or unit_type.* event, versioned on its own aggregate: the previous events of
 * that record + 1 (serialised by the record's row lock, which every catalogue change takes).
 */
export async function appendCatalogueEvent(
  tx: Tx,
  event: {
    type: Extract<EventType, "facility.created" | "facility.updated" | "unit_type.created" | "unit_type.updated">;
    aggregateId: string;
    facilityId: string;
    correlationId: string;
    data: Record<string, unknown>;
    createdAt?: Date;
  },
): Promise<void> {
  const aggregateType = event.type.startsWith("facility.") ? "facility" : "unit_type";
  const rows = await tx.$queryRaw<{ next: number }[]>`
    SELECT (coalesce(max(aggregate_version), 0) + 1)::int AS next
    FROM events WHERE aggregate_type = ${aggregateType} AND aggregate_id = ${event.aggregateId}`;
  await appendEvent(tx, {
    type: event.type,
    aggregateType,
    aggregateId: event.aggregateId,
    aggregateVersion: rows[0]?.next ?? 1,
    facilityId: event.facilityId,
    correlationId: event.correlationId,
    createdAt: event.createdAt,
    data: event.data,
  });
}
