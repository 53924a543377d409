import { Prisma } from "../../generated/prisma/client";
import { DomainError } from "@/server/domain/shared/errors";
import { insertEventFrom, type EventType } from "@/server/domain/shared/events";
import { newId } from "@/server/domain/shared/ids";
import type { Tx } from "@/server/domain/shared/tx";
import type { PoolSnapshot } from "../inventory/unit-transition";

/**
 * A pool gains or loses an AVAILABLE unit (docs/domain.md#catalogue): a unit added,
 * retired or moved to another type. `total` and `available` move together by `delta`,
 * `inventory_version` +1, and the pool's `inventory.updated` event carrying the new
 * counters — one statement in the caller's transaction, as a unit's transition
 * (transitionUnit, docs/domain.md#inventory-counters-and-versions). The caller holds the
 * unit's row lock (lock order: unit → pool).
 */
export async function resizePool(
  tx: Tx,
  change: { poolId: string; delta: 1 | -1; correlationId: string; cause: string; now?: Date },
): Promise<PoolSnapshot> {
  const at = change.now ?? new Date();
  const eventId = newId("evt", change.now?.getTime());
  const pools = await tx.$queryRaw<
    {
      id: string;
      facility_id: string;
      total: number;
      available: number;
      held: number;
      booked: number;
      occupied: number;
      blocked: number;
      inventory_version: number;
      facility_code: string;
      unit_type_code: string;
    }[]
  >`
    WITH updated AS (
      UPDATE inventory_pools
      SET total = total + ${change.delta}::int, available = available + ${change.delta}::int,
          inventory_version = inventory_version + 1, updated_at = ${at}
      WHERE id = ${change.poolId}::uuid
      RETURNING *
    ), info AS (
      SELECT updated.*, f.code AS facility_code, ut.code AS unit_type_code
      FROM updated JOIN facilities f ON f.id = updated.facility_id JOIN unit_types ut ON ut.id = updated.unit_type_id
    ), event AS (
      ${insertEventFrom(
        {
          id: Prisma.sql`${eventId}`,
          type: Prisma.sql`${"inventory.updated" satisfies EventType}`,
          aggregateType: Prisma.sql`'pool'`,
          aggregateId: Prisma.sql`info.id`,
          aggregateVersion: Prisma.sql`info.inventory_version`,
          facilityId: Prisma.sql`info.facility_id`,
          partnerId: Prisma.sql`${null}`,
          bookingId: Prisma.sql`${null}`,
          correlationId: Prisma.sql`${change.correlationId}`,
          data: Prisma.sql`jsonb_build_object(
            'facility_code', info.facility_code, 'unit_type_code', info.unit_type_code, 'total', info.total,
            'available', info.available, 'held', info.held, 'booked', info.booked, 'occupied', info.occupied,
            'blocked', info.blocked, 'inventory_version', info.inventory_version, 'cause', ${change.cause}::text)`,
          createdAt: Prisma.sql`${change.now ?? null}`,
        },
        Prisma.sql`info`,
      )}
    )
    SELECT info.* FROM info`;
  const pool = pools[0];
  if (!pool) throw new DomainError("NOT_FOUND", `Pool ${change.poolId} was not found.`);
  return {
    poolId: pool.id,
    facilityId: pool.facility_id,
    facilityCode: pool.facility_code,
    unitTypeCode: pool.unit_type_code,
    total: pool.total,
    available: pool.available,
    held: pool.held,
    booked: pool.booked,
    occupied: pool.occupied,
    blocked: pool.blocked,
    inventoryVersion: pool.inventory_version,
  };
}
