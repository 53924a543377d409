import type { Actor } from "@/server/domain/shared/actor";
import { writeAuditBatch } from "@/server/domain/shared/audit";
import { appendEvents } from "@/server/domain/shared/events";
import type { Tx } from "@/server/domain/shared/tx";
import type { PoolSnapshot } from "../inventory/unit-transition";
import { resizePool } from "./resize-pool";

export interface NewUnit {
  code: string;
  floor: number;
  unitType: { id: string; code: string; poolId: string };
}

export interface AddedUnit {
  id: string;
  code: string;
  /** its pool's inventory_version after the units joined it */
  inventoryVersion: number;
}

/**
 * Adds units of a facility in the caller's transaction (docs/domain.md#catalogue): the one
 * way units come into being, for one (addUnit) or a batch of an import. In one statement
 * each: the units, AVAILABLE (a code already taken at the facility is left out, and
 * returned in `taken`); then per pool, in id order, `total` and `available` + n,
 * `inventory_version` +1 and one inventory.updated (cause unit.added); then unit.added for
 * every unit and an audit entry each. The pools are touched last, so their row locks are
 * held only for the end of the transaction.
 */
export async function addUnits(
  tx: Tx,
  actor: Actor,
  facility: { id: string; code: string },
  units: readonly NewUnit[],
  options: { now?: Date; audit?: Record<string, unknown>; auditFor?: (unit: NewUnit) => Record<string, unknown> } = {},
): Promise<{ added: AddedUnit[]; taken: string[] }> {
  if (!units.length) return { added: [], taken: [] };
  const at = options.now ?? null;
  const inserted = await tx.$queryRaw<{ id: string; code: string }[]>`
    INSERT INTO units (facility_id, unit_type_id, pool_id, code, floor, status, status_changed_at, created_at)
    SELECT ${facility.id}::uuid, u.unit_type_id, u.pool_id, u.code, u.floor, 'AVAILABLE',
           coalesce(${at}::timestamptz, now()), coalesce(${at}::timestamptz, now())
    FROM unnest(${units.map((u) => u.unitType.id)}::uuid[], ${units.map((u) => u.unitType.poolId)}::uuid[],
                ${units.map((u) => u.code)}::text[], ${units.map((u) => u.floor)}::int[]) AS u(unit_type_id, pool_id, code, floor)
    ON CONFLICT (facility_id, code) DO NOTHING
    RETURNING id::text AS id, code`;
  const idByCode = new Map(inserted.map((row) => [row.code, row.id]));
  const joined = units.filter((u) => idByCode.has(u.code));
  const taken = units.filter((u) => !idByCode.has(u.code)).map((u) => u.code);
  if (!joined.length) return { added: [], taken };

  const perPool = new Map<string, number>();
  for (const unit of joined) perPool.set(unit.unitType.poolId, (perPool.get(unit.unitType.poolId) ?? 0) + 1);
  const pools = new Map<string, PoolSnapshot>();
  for (const poolId of [...perPool.keys()].sort()) {
    pools.set(poolId, await resizePool(tx, { poolId, delta: perPool.get(poolId)!, correlationId: actor.correlationId, cause: "unit.added", now: options.now }));
  }

  const added = joined.map((unit) => ({ id: idByCode.get(unit.code)!, code: unit.code, inventoryVersion: pools.get(unit.unitType.poolId)!.inventoryVersion }));
  // A new unit's first event: version 1 of its own aggregate.
  await appendEvents(
    tx,
    joined.map((unit, i) => ({
      type: "unit.added" as const,
      aggregateType: "unit" as const,
      aggregateId: added[i]!.id,
      aggregateVersion: 1,
      facilityId: facility.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data: { facility_code: facility.code, unit_code: unit.code, unit_type_code: unit.unitType.code, floor: unit.floor, inventory_version: added[i]!.inventoryVersion },
    })),
  );
  await writeAuditBatch(
    tx,
    joined.map((unit, i) => ({
      actor,
      action: "unit.add",
      targetType: "unit",
      targetId: added[i]!.id,
      facilityId: facility.id,
      metadata: {
        facility_code: facility.code,
        unit_code: unit.code,
        unit_type_code: unit.unitType.code,
        floor: unit.floor,
        inventory_version: added[i]!.inventoryVersion,
        ...options.audit,
        ...options.auditFor?.(unit),
      },
      at: options.now,
    })),
  );
  return { added, taken };
}
