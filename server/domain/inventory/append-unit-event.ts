import { appendEvent, type EventType } from "@/server/domain/shared/events";
import type { Tx } from "@/server/domain/shared/tx";
import type { BlockContext, LockedUnit } from "./maintenance-blocks";
import type { PoolSnapshot } from "./unit-transition";

/** A unit.* event (blocked, unblocked, added, retired, retyped), versioned on the unit's own aggregate. */
export async function appendUnitEvent(
  tx: Tx,
  ctx: BlockContext,
  unit: Pick<LockedUnit, "id" | "facility_id" | "facility_code" | "code" | "unit_type_code">,
  type: Extract<EventType, "unit.blocked" | "unit.unblocked" | "unit.added" | "unit.retired" | "unit.retyped" | "unit.updated">,
  pool: Pick<PoolSnapshot, "inventoryVersion">,
  data: Record<string, unknown>,
): Promise<void> {
  // The unit's own aggregate version: its previous unit.* events + 1 (serialised by the unit lock).
  const rows = await tx.$queryRaw<{ next: number }[]>`
    SELECT (coalesce(max(aggregate_version), 0) + 1)::int AS next
    FROM events WHERE aggregate_type = 'unit' AND aggregate_id = ${unit.id}`;
  await appendEvent(tx, {
    type,
    aggregateType: "unit",
    aggregateId: unit.id,
    aggregateVersion: rows[0]?.next ?? 1,
    facilityId: unit.facility_id,
    correlationId: ctx.actor.correlationId,
    createdAt: ctx.clock,
    data: {
      facility_code: unit.facility_code,
      unit_code: unit.code,
      unit_type_code: unit.unit_type_code,
      ...data,
      inventory_version: pool.inventoryVersion,
    },
  });
}
