import { Prisma } from "../../generated/prisma/client";
import type { UnitStatus } from "../../generated/prisma/enums";
import { DomainError } from "@/server/domain/shared/errors";
import { insertEventFrom, type EventType } from "@/server/domain/shared/events";
import { newId } from "@/server/domain/shared/ids";
import type { Tx } from "@/server/domain/shared/tx";
import type { PoolCounters as UnitCounts } from "./list-facility-pools";

/**
 * The one way a unit's status changes: the unit row (guarded on its current status), its
 * pool's counters and inventory_version (+1), and an `inventory.updated` event carrying the
 * new version and counters — all in the caller's transaction
 * (docs/domain.md#inventory-counters-and-versions). Lock order everywhere: booking →
 * unit(s) → pool, so concurrent changes cannot deadlock.
 */

/** The statuses a pool counts (a RETIRED unit is counted in none: docs/domain.md#catalogue). */
export type PooledUnitStatus = Exclude<UnitStatus, "RETIRED">;

const COUNTER: Record<PooledUnitStatus, string> = {
  AVAILABLE: "available",
  HELD: "held",
  BOOKED: "booked",
  OCCUPIED: "occupied",
  BLOCKED: "blocked",
};

/** A pool's counters and version: what every view of a pool carries. */
export interface PoolCounters extends UnitCounts {
  inventoryVersion: number;
}

export interface PoolSnapshot extends PoolCounters {
  poolId: string;
  facilityId: string;
  facilityCode: string;
  unitTypeCode: string;
}

export interface UnitTransition {
  unitId: string;
  from: PooledUnitStatus;
  to: PooledUnitStatus;
  correlationId: string;
  /** why, for the event (e.g. booking.held, unit.blocked) */
  cause: string;
  bookingId?: string | null;
  partnerId?: string | null;
  now?: Date;
}

/** What the pool-changing statement returns: the pool's row with its codes. */
interface UpdatedPoolRow {
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
}

export interface PoolEventContext {
  correlationId: string;
  /** why, for the event (e.g. booking.held, unit.added) */
  cause: string;
  bookingId?: string | null;
  partnerId?: string | null;
  now?: Date;
}

/**
 * More of the caller's work in the same statement, after the pool's event: CTEs that may
 * read `info` (the pool's new row with its codes: info.inventory_version), and columns
 * the statement returns beside the pool's (named in `names`). A booking's own update and
 * event go here, so the pool row — the lock every change of the pool queues on — is held
 * for this one statement and the commit (docs/performance.md#the-booking-hot-path).
 * An event written here reads `event` (the pool's inventory.updated insert:
 * `FROM x WHERE EXISTS (SELECT 1 FROM event)`), so it is written after it, as separate
 * statements would have; PostgreSQL runs unreferenced data-modifying CTEs last-first.
 */
export interface ThenInSameStatement {
  ctes: Prisma.Sql;
  columns?: Prisma.Sql;
  names?: readonly string[];
}

/**
 * Runs `changes` — CTEs ending in one named `updated` that UPDATEs one inventory_pools row
 * RETURNING * — and, in the same statement, writes the pool's `inventory.updated` event
 * with the new counters and version. The one writer of a pool's counters: a unit's
 * transition (below) and a pool resized by the catalogue (catalogue/resize-pool.ts).
 * Returns the pool's new snapshot, or null when `updated` changed no row.
 */
export async function updatePoolWithEvent(tx: Tx, changes: Prisma.Sql, event: PoolEventContext): Promise<PoolSnapshot | null> {
  return (await updatePoolWithEventThen(tx, changes, event))?.pool ?? null;
}

async function updatePoolWithEventThen(
  tx: Tx,
  changes: Prisma.Sql,
  event: PoolEventContext,
  then?: ThenInSameStatement,
): Promise<{ pool: PoolSnapshot; then: Record<string, unknown> } | null> {
  const eventId = newId("evt", event.now?.getTime());
  const pools = await tx.$queryRaw<(UpdatedPoolRow & Record<string, unknown>)[]>`
    WITH ${changes}, info AS (
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
          partnerId: Prisma.sql`${event.partnerId ?? null}`,
          bookingId: Prisma.sql`${event.bookingId ?? null}`,
          correlationId: Prisma.sql`${event.correlationId}`,
          data: Prisma.sql`jsonb_build_object(
            'facility_code', info.facility_code, 'unit_type_code', info.unit_type_code, 'total', info.total,
            'available', info.available, 'held', info.held, 'booked', info.booked, 'occupied', info.occupied,
            'blocked', info.blocked, 'inventory_version', info.inventory_version, 'cause', ${event.cause}::text)`,
          createdAt: Prisma.sql`${event.now ?? null}`,
        },
        Prisma.sql`info`,
      )}
    )${then ? Prisma.sql`, ${then.ctes}` : Prisma.empty}
    SELECT info.*${then?.columns ? Prisma.sql`, ${then.columns}` : Prisma.empty} FROM info`;
  const pool = pools[0];
  if (!pool) return null;
  const thenColumns: Record<string, unknown> = {};
  for (const name of then?.names ?? []) thenColumns[name] = pool[name];
  return {
    then: thenColumns,
    pool: {
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
    },
  };
}

export async function transitionUnit(tx: Tx, change: UnitTransition): Promise<PoolSnapshot> {
  return (await transitionUnitThen(tx, change)).pool;
}

/** transitionUnit, with more of the caller's work in the same statement (ThenInSameStatement). */
export async function transitionUnitThen(
  tx: Tx,
  change: UnitTransition,
  then?: ThenInSameStatement,
): Promise<{ pool: PoolSnapshot; then: Record<string, unknown> }> {
  if (change.from === change.to) throw new Error(`transitionUnit: ${change.from} → ${change.to} is not a change`);
  const at = change.now ?? new Date();
  const from = Prisma.raw(COUNTER[change.from]);
  const to = Prisma.raw(COUNTER[change.to]);
  // One statement: the unit (guarded on its status), its pool, and the pool's
  // inventory.updated event — the pool row is the lock every change of this pool queues
  // on, so it is held for one round trip less than separate statements would take.
  const result = await updatePoolWithEventThen(
    tx,
    Prisma.sql`unit AS (
      UPDATE units SET status = ${change.to}::"UnitStatus", status_changed_at = ${at}
      WHERE id = ${change.unitId}::uuid AND status = ${change.from}::"UnitStatus"
      RETURNING pool_id
    ), updated AS (
      UPDATE inventory_pools
      SET ${from} = ${from} - 1, ${to} = ${to} + 1, inventory_version = inventory_version + 1, updated_at = ${at}
      WHERE id = (SELECT pool_id FROM unit)
      RETURNING *
    )`,
    change,
    then,
  );
  if (!result) {
    // Callers lock the unit first, so this means the caller's picture of it was wrong.
    throw new DomainError("CONFLICT", `Unit ${change.unitId} is not ${change.from} any more.`);
  }
  return result;
}
