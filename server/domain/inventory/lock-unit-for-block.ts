import { DomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { BLOCK_COLUMNS, isOverdue, type BlockRow, type LiveBooking, type LockedUnit, type UnitForBlock } from "./maintenance-blocks";
import { fromDatabaseError } from "@/server/domain/shared/database-errors";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import type { Actor } from "@/server/domain/shared/actor";
import { Prisma } from "../../generated/prisma/client";

/**
 * Locking for a block change: a block row, a unit row, or a unit together with what
 * stands on it (docs/domain.md#maintenance-blocks).
 *
 * Lock order, here and in the booking services: block → booking → unit → pool. A block
 * row is locked before its unit (unblock, the job), a booking before its unit (as every
 * booking service does), and a pool only last, inside transitionUnit. Every change of a
 * block's status holds its unit's row lock, so whoever holds that lock sees every block
 * of the unit as it is.
 */

/**
 * Locks a block row the actor may see (FOR UPDATE; the facility scope is in the WHERE, so
 * another facility's block is never locked). Callers lock blocks before anything else.
 */
export async function lockBlock(tx: Tx, blockId: string, actor: Actor): Promise<BlockRow | null> {
  const rows = await tx.$queryRaw<BlockRow[]>`
    SELECT ${BLOCK_COLUMNS} FROM maintenance_blocks WHERE id = ${blockId}::uuid ${scopeSql(actor, Prisma.sql`facility_id`)} FOR UPDATE`;
  return rows[0] ?? null;
}

/** Locks the unit row alone: for changes that cannot involve a booking (unblock, cancel, end). */
export async function lockUnitRow(tx: Tx, unitId: string): Promise<LockedUnit> {
  const rows = await tx.$queryRaw<LockedUnit[]>`
    SELECT u.id, u.code, u.status::text AS status, u.facility_id, f.code AS facility_code, f.timezone AS facility_timezone,
           u.pool_id, ut.code AS unit_type_code
    FROM units u JOIN facilities f ON f.id = u.facility_id JOIN unit_types ut ON ut.id = u.unit_type_id
    WHERE u.id = ${unitId}::uuid
    FOR UPDATE OF u`;
  if (!rows[0]) throw new DomainError("NOT_FOUND", `Unit ${unitId} was not found.`);
  return rows[0];
}

async function liveBookingOn(tx: Tx, unitId: string): Promise<LiveBooking | null> {
  const rows = await tx.$queryRaw<LiveBooking[]>`
    SELECT id, reference, status::text AS status, partner_id, facility_id, to_char(move_in_date, 'YYYY-MM-DD') AS move_in_date,
           hold_expires_at
    FROM bookings WHERE unit_id = ${unitId}::uuid AND status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED')`;
  return rows[0] ?? null;
}

async function activeBlocksOn(tx: Tx, unitId: string): Promise<BlockRow[]> {
  return tx.$queryRaw<BlockRow[]>`
    SELECT ${BLOCK_COLUMNS} FROM maintenance_blocks WHERE unit_id = ${unitId}::uuid AND status = 'ACTIVE' ORDER BY starts_at, id`;
}

/**
 * Locks a unit for a block change in the global lock order: first the ACTIVE blocks of the
 * unit that are due to end (a new block takes over from them), then its live booking, then
 * the unit. What was read before the unit lock is read again under it; a booking or block
 * that appeared in between is locked without waiting (we already hold the unit its holder
 * may be queuing for), or the call answers INVENTORY_HELD_BY_OTHER_TXN (retryable).
 */
export async function lockUnitForBlockChange(tx: Tx, unitId: string, now: Date): Promise<UnitForBlock> {
  const seen = await tx.$queryRaw<{ booking_id: string | null; overdue_block_ids: string[] }[]>`
    SELECT (SELECT id::text FROM bookings
            WHERE unit_id = ${unitId}::uuid AND status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED') LIMIT 1) AS booking_id,
           ARRAY(SELECT id::text FROM maintenance_blocks
                 WHERE unit_id = ${unitId}::uuid AND status = 'ACTIVE' AND ends_at <= ${now} ORDER BY id) AS overdue_block_ids`;
  const lockedBlockIds = new Set<string>(seen[0]?.overdue_block_ids ?? []);
  if (lockedBlockIds.size) {
    await tx.$queryRaw`SELECT id FROM maintenance_blocks WHERE id = ANY(${[...lockedBlockIds]}::uuid[]) ORDER BY id FOR UPDATE`;
  }
  const lockedBookingId = seen[0]?.booking_id ?? null;
  if (lockedBookingId) await tx.$queryRaw`SELECT id FROM bookings WHERE id = ${lockedBookingId}::uuid FOR UPDATE`;

  const unit = await lockUnitRow(tx, unitId);

  const booking = await liveBookingOn(tx, unitId);
  if (booking && booking.id !== lockedBookingId) {
    try {
      await tx.$queryRaw`SELECT id FROM bookings WHERE id = ${booking.id}::uuid FOR UPDATE NOWAIT`;
    } catch (error) {
      throw fromDatabaseError(error, `Booking ${booking.reference} on unit ${unit.code} is being changed by another request; retry shortly.`) ?? error;
    }
  }
  const activeBlocks = await activeBlocksOn(tx, unitId);
  for (const block of activeBlocks) {
    if (!isOverdue(block, now) || lockedBlockIds.has(block.id)) continue;
    try {
      await tx.$queryRaw`SELECT id FROM maintenance_blocks WHERE id = ${block.id}::uuid FOR UPDATE NOWAIT`;
    } catch (error) {
      throw fromDatabaseError(error, `Block ${block.id} on unit ${unit.code} is being changed by another request; retry shortly.`) ?? error;
    }
  }
  return { unit, booking, activeBlocks };
}
