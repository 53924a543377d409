import type { z } from "zod";
import { Prisma, type Booking, type Facility, type MaintenanceBlock, type Unit, type UnitType } from "../../generated/prisma/client";
import type { BookingStatus, UnitStatus } from "../../generated/prisma/enums";
import { pickAvailableUnit } from "../bookings/create-hold";
import { apiStatus, bumpBooking } from "../bookings/transition-booking";
import type { Actor } from "../shared/actor";
import { writeAudit } from "../shared/audit";
import { scopeSql } from "../shared/facility-scope";
import { DomainError, isDomainError, type FieldError } from "../shared/errors";
import { appendEvent, type EventType } from "../shared/events";
import type { SqlRow } from "../shared/sql-row";
import type { Tx } from "../shared/tx";
import { transitionUnit, type PoolSnapshot } from "./unit-transition";

/**
 * What blocking, unblocking and the scheduled-block job share: locking a unit together
 * with what stands on it, deciding whether a block may start there, moving a booking off
 * the unit, and starting or ending a block (unit + pool + events) —
 * docs/domain.md#maintenance-blocks.
 *
 * Lock order, here and in the booking services: block → booking → unit → pool. A block
 * row is locked before its unit (unblock, the job), a booking before its unit (as every
 * booking service does), and a pool only last, inside transitionUnit. Every change of a
 * block's status holds its unit's row lock, so whoever holds that lock sees every block
 * of the unit as it is.
 */

export interface BlockContext {
  actor: Actor;
  /** the service's clock */
  now: Date;
  /** options.now as the caller gave it; undefined lets events and audit use the database clock */
  clock: Date | undefined;
}

export type LockedUnit = SqlRow<Unit, "id" | "code" | "status" | "facilityId" | "poolId"> & {
  facility_code: Facility["code"];
  facility_timezone: Facility["timezone"];
  unit_type_code: UnitType["code"];
};

export type LiveBooking = SqlRow<Booking, "id" | "reference" | "status" | "partnerId" | "facilityId" | "holdExpiresAt"> & {
  /** YYYY-MM-DD (to_char of the date column) */
  move_in_date: string;
};

export type BlockRow = SqlRow<MaintenanceBlock, "id" | "facilityId" | "unitId" | "reason" | "status" | "startsAt" | "endsAt" | "startedAt">;

/** A unit locked for a block change, with its live booking and ACTIVE blocks (kept current by the helpers). */
export interface UnitForBlock {
  unit: LockedUnit;
  booking: LiveBooking | null;
  activeBlocks: BlockRow[];
}

export interface BlockWindow {
  startsAt: Date;
  endsAt: Date | null;
}

export interface MovedBooking {
  reference: string;
  status: string;
  fromUnitCode: string;
  toUnitCode: string;
  bookingVersion: number;
  inventoryVersion: number;
}

export const BLOCK_COLUMNS = Prisma.raw(
  "id, facility_id, unit_id, reason::text AS reason, status::text AS status, starts_at, ends_at, started_at",
);

// ───────────────────────────── input and actors ─────────────────────────────

/** Parses service input with its zod schema; failures become VALIDATION_FAILED with field errors. */
export function parseBlockInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fieldErrors: FieldError[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  throw new DomainError(
    "VALIDATION_FAILED",
    fieldErrors.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join("; "),
    {},
    fieldErrors,
  );
}

export function userIdOf(actor: Actor): string | null {
  return actor.type === "USER" ? actor.id : null;
}

// ───────────────────────────── locking ─────────────────────────────

function isLockNotAvailable(error: unknown): boolean {
  return /55P03|could not obtain lock/i.test(String(error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : error));
}

function busy(what: string): DomainError {
  return new DomainError("INVENTORY_HELD_BY_OTHER_TXN", `${what} is being changed by another request; retry shortly.`);
}

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

export function isOverdue(block: { ends_at: Date | null }, now: Date): boolean {
  return block.ends_at !== null && block.ends_at.getTime() <= now.getTime();
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
      if (isLockNotAvailable(error)) throw busy(`Booking ${booking.reference} on unit ${unit.code}`);
      throw error;
    }
  }
  const activeBlocks = await activeBlocksOn(tx, unitId);
  for (const block of activeBlocks) {
    if (!isOverdue(block, now) || lockedBlockIds.has(block.id)) continue;
    try {
      await tx.$queryRaw`SELECT id FROM maintenance_blocks WHERE id = ${block.id}::uuid FOR UPDATE NOWAIT`;
    } catch (error) {
      if (isLockNotAvailable(error)) throw busy(`Block ${block.id} on unit ${unit.code}`);
      throw error;
    }
  }
  return { unit, booking, activeBlocks };
}

// ───────────────────────────── conflicts ─────────────────────────────

function localDay(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(at); // YYYY-MM-DD
}

/** Whether the move-in day (facility-local) falls within the block: on/after its start, before its end. */
export function overlapsMoveIn(moveInDate: string, window: BlockWindow, timezone: string): boolean {
  if (moveInDate < localDay(window.startsAt, timezone)) return false;
  return window.endsAt === null || moveInDate <= localDay(new Date(window.endsAt.getTime() - 1), timezone);
}

export interface Occupant {
  booking: LiveBooking | null;
  /** a live TENTATIVE/CONFIRMED booking can be moved to another unit of its type */
  movable: boolean;
  /** the refusal, naming the booking, for when it is not moved */
  refusal: DomainError;
}

/**
 * What stands in a block's way on the unit, if anything. A unit that is HELD, BOOKED or
 * OCCUPIED cannot be blocked: its booking would lose its unit (and a confirmed move-in
 * would land on a blocked unit). Only a live hold or confirmed booking can be moved; a
 * hold whose TTL has passed is left to the expiry job, which releases it within moments.
 */
export function occupantOf(state: UnitForBlock, window: BlockWindow, now: Date): Occupant | null {
  const { unit, booking } = state;
  if (!booking) {
    if (unit.status === "AVAILABLE" || unit.status === "BLOCKED") return null;
    return {
      booking: null,
      movable: false,
      refusal: new DomainError(
        "CONFLICT",
        `Unit ${unit.code} is ${unit.status.toLowerCase()} but no live booking holds it; run a reconciliation before blocking it.`,
        { unit_code: unit.code, unit_status: unit.status.toLowerCase() },
      ),
    };
  }
  const holdLapsed = booking.status === "TENTATIVE" && booking.hold_expires_at.getTime() <= now.getTime();
  const status: BookingStatus = holdLapsed ? "EXPIRED" : booking.status;
  const movable = status === "TENTATIVE" || status === "CONFIRMED";
  const overlaps = booking.status === "CONFIRMED" && overlapsMoveIn(booking.move_in_date, window, unit.facility_timezone);
  const context = {
    unit_code: unit.code,
    unit_status: unit.status.toLowerCase(),
    booking_reference: booking.reference,
    booking_status: apiStatus(status),
    move_in_date: booking.move_in_date,
    overlaps_move_in: overlaps,
    can_move: movable,
  };
  const message =
    status === "FULFILLED"
      ? `Unit ${unit.code} is occupied under booking ${booking.reference}; it cannot be blocked until the customer moves out.`
      : status === "EXPIRED"
        ? `Unit ${unit.code} is still held by booking ${booking.reference}, whose hold expired at ${booking.hold_expires_at.toISOString()} and is being released; try again shortly.`
        : status === "CONFIRMED"
          ? `Unit ${unit.code} is booked under ${booking.reference} (move-in ${booking.move_in_date}${overlaps ? ", within the block" : ""}); move that booking to another unit to block it.`
          : `Unit ${unit.code} is held by booking ${booking.reference} (move-in ${booking.move_in_date}); move that booking to another unit to block it.`;
  return { booking, movable, refusal: new DomainError("CONFLICT", message, context) };
}

/**
 * The first ACTIVE or SCHEDULED block of the unit whose window overlaps `window` (end
 * exclusive, no end = open-ended). ACTIVE blocks already past their end do not count:
 * they end when the next block starts, or when the job next runs.
 */
export async function findOverlappingBlock(
  tx: Tx,
  unitId: string,
  window: BlockWindow,
  now: Date,
  excludeBlockId?: string,
): Promise<BlockRow | null> {
  const exclude = excludeBlockId ?? "00000000-0000-0000-0000-000000000000";
  const rows = await tx.$queryRaw<BlockRow[]>`
    SELECT ${BLOCK_COLUMNS} FROM maintenance_blocks
    WHERE unit_id = ${unitId}::uuid AND status IN ('ACTIVE', 'SCHEDULED') AND id <> ${exclude}::uuid
      AND NOT (status = 'ACTIVE' AND ends_at IS NOT NULL AND ends_at <= ${now})
      AND (ends_at IS NULL OR ends_at > ${window.startsAt})
      AND (${window.endsAt}::timestamptz IS NULL OR starts_at < ${window.endsAt}::timestamptz)
    ORDER BY starts_at, id LIMIT 1`;
  return rows[0] ?? null;
}

export function blockClash(unitCode: string, block: BlockRow): DomainError {
  const until = block.ends_at ? ` until ${block.ends_at.toISOString()}` : " with no end";
  return new DomainError(
    "CONFLICT",
    `Unit ${unitCode} already has a ${block.status.toLowerCase()} block (${block.id}) from ${block.starts_at.toISOString()}${until}.`,
    {
      unit_code: unitCode,
      block_id: block.id,
      block_status: block.status.toLowerCase(),
      block_reason: block.reason,
      block_starts_at: block.starts_at.toISOString(),
      block_ends_at: block.ends_at?.toISOString() ?? null,
    },
  );
}

// ───────────────────────────── changes ─────────────────────────────

/**
 * Moves the unit's live hold or confirmed booking to another unit of the same pool: the
 * new unit AVAILABLE → HELD/BOOKED, the old one back to AVAILABLE (two pool versions, two
 * inventory.updated events with cause unit.blocked), the booking's unit and version
 * change, and a booking.move_unit audit entry records it. The event catalogue
 * (docs/webhooks.md#event-types) has no booking event for this, so none is invented.
 */
export async function moveBookingOffUnit(
  tx: Tx,
  ctx: BlockContext,
  state: UnitForBlock,
  blockId: string,
): Promise<MovedBooking> {
  const { unit, booking } = state;
  if (!booking || (booking.status !== "TENTATIVE" && booking.status !== "CONFIRMED")) {
    throw new Error(`moveBookingOffUnit: unit ${unit.code} has no movable booking`);
  }
  const held: UnitStatus = booking.status === "TENTATIVE" ? "HELD" : "BOOKED";
  let targetId: string;
  try {
    targetId = await pickAvailableUnit(tx, unit.pool_id, unit.id);
  } catch (error) {
    if (isDomainError(error) && error.code === "INVENTORY_UNAVAILABLE") {
      throw new DomainError(
        "INVENTORY_UNAVAILABLE",
        `No other ${unit.unit_type_code} unit at ${unit.facility_code} is free to move booking ${booking.reference} to.`,
        {
          unit_code: unit.code,
          unit_type_code: unit.unit_type_code,
          booking_reference: booking.reference,
          booking_status: apiStatus(booking.status),
          move_in_date: booking.move_in_date,
        },
      );
    }
    throw error;
  }
  const target = await tx.unit.findUniqueOrThrow({ where: { id: targetId }, select: { code: true } });
  const common = {
    correlationId: ctx.actor.correlationId,
    cause: "unit.blocked",
    bookingId: booking.id,
    partnerId: booking.partner_id,
    now: ctx.clock,
  };
  // Both units are locked already; from the first transition on, the pool is too.
  await transitionUnit(tx, { ...common, unitId: targetId, from: "AVAILABLE", to: held });
  const pool = await transitionUnit(tx, { ...common, unitId: unit.id, from: held, to: "AVAILABLE" });
  const bookingVersion = await bumpBooking(tx, booking.id, { unitId: targetId }, pool.inventoryVersion, ctx.now);
  await writeAudit(tx, ctx.actor, {
    action: "booking.move_unit",
    targetType: "booking",
    targetId: booking.reference,
    facilityId: unit.facility_id,
    reason: "unit.blocked",
    metadata: {
      from_unit_code: unit.code,
      to_unit_code: target.code,
      block_id: blockId,
      booking_status: booking.status,
      booking_version: bookingVersion,
      inventory_version: pool.inventoryVersion,
    },
    at: ctx.clock,
  });
  state.unit.status = "AVAILABLE";
  state.booking = null;
  return {
    reference: booking.reference,
    status: apiStatus(booking.status),
    fromUnitCode: unit.code,
    toUnitCode: target.code,
    bookingVersion,
    inventoryVersion: pool.inventoryVersion,
  };
}

async function appendUnitEvent(
  tx: Tx,
  ctx: BlockContext,
  unit: LockedUnit,
  type: Extract<EventType, "unit.blocked" | "unit.unblocked">,
  pool: PoolSnapshot,
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

/**
 * Ends an ACTIVE block: the unit BLOCKED → AVAILABLE (pool version +1, inventory.updated
 * with cause unit.unblocked), the block ENDED, and a unit.unblocked event.
 */
export async function endActiveBlock(
  tx: Tx,
  ctx: BlockContext,
  state: UnitForBlock,
  block: BlockRow,
  endedByUserId: string | null,
): Promise<PoolSnapshot> {
  const pool = await transitionUnit(tx, {
    unitId: state.unit.id,
    from: "BLOCKED",
    to: "AVAILABLE",
    correlationId: ctx.actor.correlationId,
    cause: "unit.unblocked",
    now: ctx.clock,
  });
  const ended = await tx.maintenanceBlock.updateMany({
    where: { id: block.id, status: "ACTIVE" },
    data: { status: "ENDED", endedAt: ctx.now, endedByUserId },
  });
  if (ended.count !== 1) throw new Error(`endActiveBlock: block ${block.id} is not ACTIVE`);
  await appendUnitEvent(tx, ctx, state.unit, "unit.unblocked", pool, {
    block_id: block.id,
    reason: block.reason,
    started_at: block.started_at?.toISOString() ?? null,
    ended_at: ctx.now.toISOString(),
  });
  state.unit.status = "AVAILABLE";
  state.activeBlocks = state.activeBlocks.filter((b) => b.id !== block.id);
  return pool;
}

/**
 * Starts a SCHEDULED block on a unit that is free for it: any ACTIVE block already past
 * its end is ended first (each change its own pool version), then the unit AVAILABLE →
 * BLOCKED, the block ACTIVE, and a unit.blocked event.
 */
export async function startBlock(
  tx: Tx,
  ctx: BlockContext,
  state: UnitForBlock,
  block: Pick<BlockRow, "id" | "reason" | "starts_at" | "ends_at">,
): Promise<PoolSnapshot> {
  for (const overdue of state.activeBlocks.filter((b) => isOverdue(b, ctx.now))) {
    await endActiveBlock(tx, ctx, state, overdue, null);
    await writeAudit(tx, ctx.actor, {
      action: "unit.block_end",
      targetType: "maintenance_block",
      targetId: overdue.id,
      facilityId: state.unit.facility_id,
      metadata: { unit_code: state.unit.code, scheduled_end: overdue.ends_at?.toISOString() ?? null, next_block_id: block.id },
      at: ctx.clock,
    });
  }
  const current = state.activeBlocks[0];
  if (current) throw blockClash(state.unit.code, current);
  if (state.unit.status !== "AVAILABLE") {
    throw new DomainError("CONFLICT", `Unit ${state.unit.code} is ${state.unit.status.toLowerCase()}, not available.`, {
      unit_code: state.unit.code,
      unit_status: state.unit.status.toLowerCase(),
    });
  }
  const pool = await transitionUnit(tx, {
    unitId: state.unit.id,
    from: "AVAILABLE",
    to: "BLOCKED",
    correlationId: ctx.actor.correlationId,
    cause: "unit.blocked",
    now: ctx.clock,
  });
  const started = await tx.maintenanceBlock.updateMany({
    where: { id: block.id, status: "SCHEDULED" },
    data: { status: "ACTIVE", startedAt: ctx.now },
  });
  if (started.count !== 1) throw new Error(`startBlock: block ${block.id} is not SCHEDULED`);
  await appendUnitEvent(tx, ctx, state.unit, "unit.blocked", pool, {
    block_id: block.id,
    reason: block.reason,
    starts_at: block.starts_at.toISOString(),
    ends_at: block.ends_at?.toISOString() ?? null,
  });
  state.unit.status = "BLOCKED";
  state.activeBlocks = [{ ...block, facility_id: state.unit.facility_id, unit_id: state.unit.id, status: "ACTIVE", started_at: ctx.now }];
  return pool;
}
