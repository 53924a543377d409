import { Prisma, type Booking, type Facility, type MaintenanceBlock, type Unit, type UnitType } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import type { SqlRow } from "@/server/domain/shared/sql-row";

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

export const BLOCK_COLUMNS = Prisma.raw(
  "id, facility_id, unit_id, reason::text AS reason, status::text AS status, starts_at, ends_at, started_at",
);

/**
 * Reasons that keep a tenant on an occupied unit (docs/domain.md#site-operations): the
 * site locks the tenant out (overlock) or the lock is broken, the booking stays, and the
 * tenant's access is suspended while the block is ACTIVE. Other reasons cannot block an
 * occupied unit.
 */
export const TENANT_KEEPING_REASONS: readonly string[] = ["OVERLOCK", "LOCK_FAULT"];

export function keepsTenant(reason: string): boolean {
  return TENANT_KEEPING_REASONS.includes(reason);
}

export function userIdOf(actor: Actor): string | null {
  return actor.type === "USER" ? actor.id : null;
}

export function isOverdue(block: { ends_at: Date | null }, now: Date): boolean {
  return block.ends_at !== null && block.ends_at.getTime() <= now.getTime();
}
