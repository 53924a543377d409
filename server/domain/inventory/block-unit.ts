import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { inScope } from "@/server/domain/shared/facility-scope";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { occupantOf } from "./block-occupant";
import { blockClash, findOverlappingBlock } from "./find-overlapping-block";
import { lockUnitForBlockChange } from "./lock-unit-for-block";
import { keepsTenant, userIdOf, type BlockContext } from "./maintenance-blocks";
import { moveBookingOffUnit, type MovedBooking } from "./move-booking-off-unit";
import { startBlock } from "./start-block";
import { startTenantBlock } from "./start-tenant-block";
import { loadUnitBlockView, type UnitBlockView } from "./unit-block-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

const BLOCK_REASONS = ["DAMAGE", "CLEANING", "PEST", "LOCK_FAULT", "OVERLOCK", "OTHER"] as const;

export const BlockUnitInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    unit_code: z.string().trim().min(1).max(32),
    reason: z.enum(BLOCK_REASONS),
    note: z.string().trim().max(1000).default(""),
    /** absent or not in the future: the block starts now */
    starts_at: z.iso.datetime({ offset: true }).optional(),
    ends_at: z.iso.datetime({ offset: true }).optional(),
    /** move a hold or confirmed booking on the unit to another unit of its type instead of refusing */
    move_conflicting_booking: z.boolean().default(false),
  })
  .strict()
  .refine((input) => !input.starts_at || !input.ends_at || Date.parse(input.ends_at) > Date.parse(input.starts_at), {
    path: ["ends_at"],
    message: "ends_at must be after starts_at.",
  });
/** What callers pass (defaults not yet applied); the service parses it. */
export type BlockUnitInput = z.input<typeof BlockUnitInput>;

export interface BlockUnitResult {
  block: UnitBlockView;
  /** the booking moved off the unit (move_conflicting_booking), if any */
  movedBooking: MovedBooking | null;
  /** the pool's inventory_version after the change (unchanged for a scheduled block without a move) */
  inventoryVersion: number;
}

/**
 * Takes a unit out of service now or from a scheduled time
 * (docs/domain.md#maintenance-blocks). Refused with CONFLICT naming the booking when the
 * unit is held, booked or occupied — unless the caller asks to move a hold or confirmed
 * booking to another unit of the same type, or the block is an overlock or lock fault on
 * an occupied unit, which keeps its tenant and suspends their access
 * (docs/domain.md#site-operations) — and with CONFLICT naming the block when
 * another block overlaps. A block starting now changes the unit and its pool at once; a
 * scheduled one changes neither: the unit stays available (and counted so) until the job
 * starts the block, and holds take it only after every unit without a block
 * (docs/availability.md).
 */
export async function blockUnit(rawInput: BlockUnitInput, actor: Actor, options: ServiceOptions = {}): Promise<BlockUnitResult> {
  await authorize(actor, "unit.block");
  const input = parseOrRefuse(BlockUnitInput, rawInput);
  const now = options.now ?? new Date();
  const requestedStart = input.starts_at ? new Date(input.starts_at) : null;
  const startsNow = requestedStart === null || requestedStart.getTime() <= now.getTime();
  const window = { startsAt: startsNow ? now : requestedStart, endsAt: input.ends_at ? new Date(input.ends_at) : null };
  if (window.endsAt && window.endsAt.getTime() <= window.startsAt.getTime()) {
    const message = "ends_at must be after the block starts (now, when starts_at is absent or past).";
    throw new DomainError("VALIDATION_FAILED", message, {}, [{ path: "ends_at", message }]);
  }
  const ctx: BlockContext = { actor, now, clock: options.now };

  return inTransaction(options, async (tx) => {
    const found = await tx.unit.findFirst({
      where: {
        code: input.unit_code,
        facility: { code: input.facility_code },
        ...inScope(actor),
      },
      select: { id: true },
    });
    if (!found) throw new DomainError("NOT_FOUND", `Unit ${input.unit_code} was not found at ${input.facility_code}.`);

    const state = await lockUnitForBlockChange(tx, found.id, now);
    const clash = await findOverlappingBlock(tx, state.unit.id, window, now);
    if (clash) throw blockClash(state.unit.code, clash);
    const occupant = occupantOf(state, window, now);
    // An overlock or lock fault on an occupied unit keeps its tenant (docs/domain.md#site-operations).
    const tenantStays = occupant?.booking?.status === "FULFILLED" && keepsTenant(input.reason);
    if (occupant && !tenantStays && !(input.move_conflicting_booking && occupant.movable)) throw occupant.refusal;

    const block = await tx.maintenanceBlock.create({
      data: {
        facilityId: state.unit.facility_id,
        unitId: state.unit.id,
        reason: input.reason,
        note: input.note,
        status: "SCHEDULED",
        startsAt: window.startsAt,
        endsAt: window.endsAt,
        createdByUserId: userIdOf(actor),
        correlationId: actor.correlationId,
        createdAt: now,
      },
      select: { id: true, reason: true, startsAt: true, endsAt: true },
    });
    const movedBooking = occupant && !tenantStays ? await moveBookingOffUnit(tx, ctx, state, block.id) : null;
    let inventoryVersion = movedBooking?.inventoryVersion ?? null;
    let suspended: { booking_reference: string; access_grant_ids: string[] } | null = null;
    if (startsNow && tenantStays) {
      const started = await startTenantBlock(tx, ctx, state, { id: block.id, reason: block.reason, starts_at: block.startsAt, ends_at: block.endsAt });
      inventoryVersion = started.inventoryVersion;
      suspended = { booking_reference: occupant!.booking!.reference, access_grant_ids: started.suspendedGrantIds };
    } else if (startsNow) {
      const pool = await startBlock(tx, ctx, state, {
        id: block.id,
        reason: block.reason,
        starts_at: block.startsAt,
        ends_at: block.endsAt,
      });
      inventoryVersion = pool.inventoryVersion;
    }
    await writeAudit(tx, actor, {
      action: startsNow ? "unit.block" : "unit.block_scheduled",
      targetType: "maintenance_block",
      targetId: block.id,
      facilityId: state.unit.facility_id,
      reason: input.reason,
      metadata: {
        facility_code: state.unit.facility_code,
        unit_code: state.unit.code,
        reason: input.reason,
        note: input.note,
        starts_at: window.startsAt.toISOString(),
        ends_at: window.endsAt?.toISOString() ?? null,
        moved_booking: movedBooking
          ? { reference: movedBooking.reference, from_unit_code: movedBooking.fromUnitCode, to_unit_code: movedBooking.toUnitCode }
          : null,
        tenant_kept: tenantStays ? occupant!.booking!.reference : null,
        access_suspended: suspended,
        inventory_version: inventoryVersion,
      },
      at: options.now,
    });
    if (inventoryVersion === null) {
      const pool = await tx.inventoryPool.findUniqueOrThrow({ where: { id: state.unit.pool_id }, select: { inventoryVersion: true } });
      inventoryVersion = pool.inventoryVersion;
    }
    return { block: await loadUnitBlockView(tx, block.id), movedBooking, inventoryVersion };
  });
}
