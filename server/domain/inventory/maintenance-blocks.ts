import { Prisma } from "../../generated/prisma/client";
import type { BlockReason, BlockStatus, BookingStatus, UnitStatus } from "../../generated/prisma/enums";
import type { Actor } from "../shared/actor";

/**
 * What the block services (block-unit, unblock-unit, start- and end-due-blocks) and their
 * steps (lock-unit-for-block, block-occupant, find-overlapping-block,
 * move-booking-off-unit, start-block, end-active-block) share: the rows they read, the
 * context they run in, and the small rules that need no database —
 * docs/domain.md#maintenance-blocks.
 */

export interface BlockContext {
  actor: Actor;
  /** the service's clock */
  now: Date;
  /** options.now as the caller gave it; undefined lets events and audit use the database clock */
  clock: Date | undefined;
}

export interface LockedUnit {
  id: string;
  code: string;
  status: UnitStatus;
  facility_id: string;
  facility_code: string;
  facility_timezone: string;
  pool_id: string;
  unit_type_code: string;
}

export interface LiveBooking {
  id: string;
  reference: string;
  status: BookingStatus;
  partner_id: string;
  facility_id: string;
  /** YYYY-MM-DD */
  move_in_date: string;
  hold_expires_at: Date;
}

export interface BlockRow {
  id: string;
  facility_id: string;
  unit_id: string;
  reason: BlockReason;
  status: BlockStatus;
  starts_at: Date;
  ends_at: Date | null;
  started_at: Date | null;
}

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

export const BLOCK_COLUMNS = Prisma.raw(
  "id, facility_id, unit_id, reason::text AS reason, status::text AS status, starts_at, ends_at, started_at",
);

export function userIdOf(actor: Actor): string | null {
  return actor.type === "USER" ? actor.id : null;
}

export function isOverdue(block: { ends_at: Date | null }, now: Date): boolean {
  return block.ends_at !== null && block.ends_at.getTime() <= now.getTime();
}
