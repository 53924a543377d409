import { z } from "zod";
import { config } from "../../config";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { pgIsoDate } from "@/server/domain/shared/safe-input";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { revokeLiveGrants } from "../access/revoke-live-grants";
import { appendUnitEvent } from "../inventory/append-unit-event";
import { BLOCK_COLUMNS, userIdOf, type BlockRow } from "../inventory/maintenance-blocks";
import { lockUnitRow } from "../inventory/lock-unit-for-block";
import { loadBookingView, type BookingChange } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { advanceBooking, appendBookingEvent, planTransition } from "./transition-booking";

export const MoveOutBookingInput = z
  .object({
    /** the day the tenant left, at the facility (default: today there); not before the day they moved in, not in the future */
    move_out_date: pgIsoDate().optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type MoveOutBookingInput = z.input<typeof MoveOutBookingInput>;

const HOUR_MS = 3_600_000;

function facilityToday(timezone: string, now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(now);
}

/**
 * Move-out (docs/domain.md#move-out): FULFILLED → MOVED_OUT. The live access grant is
 * revoked, and the unit is not back on sale at once: OCCUPIED → BLOCKED under a CLEANING
 * block of HOLDFAST_MOVE_OUT_BLOCK_HOURS (default 24 h), which the end-due-blocks job ends
 * by itself, or a manager releases earlier. When the unit is already under an ACTIVE block
 * (an overlock), that block carries on and no cleaning block is added; with the setting
 * at 0 the unit goes straight back to AVAILABLE. Moving out a moved-out booking is a no-op.
 */
export async function moveOutBooking(
  reference: string,
  raw: MoveOutBookingInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<BookingChange> {
  await authorize(actor, "booking.move_out", { target: { type: "booking", id: reference } });
  const input = parseOrRefuse(MoveOutBookingInput, raw);
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const plan = planTransition(booking, "move_out", now);
    if (plan.kind === "no-op") return { ...(await loadBookingView(tx, booking.id, now)), changed: false };

    // Lock order: booking → unit → pool (transitionUnit).
    const unit = await lockUnitRow(tx, booking.unit_id);
    const [{ fulfilled_at: fulfilledAt }] = await tx.$queryRaw<[{ fulfilled_at: Date }]>`
      SELECT fulfilled_at FROM bookings WHERE id = ${booking.id}::uuid`;
    const today = facilityToday(unit.facility_timezone, now);
    const movedInOn = facilityToday(unit.facility_timezone, fulfilledAt);
    const moveOutDate = input.move_out_date ?? today;
    const dateProblem =
      moveOutDate > today
        ? `move_out_date ${moveOutDate} is after today (${today}) at the facility.`
        : moveOutDate < movedInOn
          ? `move_out_date ${moveOutDate} is before the tenant moved in (${movedInOn}).`
          : null;
    if (dateProblem) throw new DomainError("VALIDATION_FAILED", dateProblem, {}, [{ path: "move_out_date", message: dateProblem }]);

    const active = await tx.$queryRaw<BlockRow[]>`
      SELECT ${BLOCK_COLUMNS} FROM maintenance_blocks WHERE unit_id = ${unit.id}::uuid AND status = 'ACTIVE' ORDER BY starts_at, id LIMIT 1`;
    const carriedBlock = active[0] ?? null;
    const blockHours = config().siteOps.moveOutBlockHours;
    const cleaning = !carriedBlock && blockHours > 0;
    // A scheduled block that starts within the cleaning window cuts it short: the job ends
    // the cleaning block and starts the scheduled one at its time.
    let cleaningEndsAt = new Date(now.getTime() + blockHours * HOUR_MS);
    if (cleaning) {
      const next = await tx.maintenanceBlock.findFirst({
        where: { unitId: unit.id, status: "SCHEDULED", startsAt: { lt: cleaningEndsAt } },
        orderBy: { startsAt: "asc" },
        select: { startsAt: true },
      });
      if (next) cleaningEndsAt = new Date(Math.max(next.startsAt.getTime(), now.getTime() + 1000));
    }

    const revoked = await revokeLiveGrants(tx, booking.id, "moved out", now);
    const { version, pool } = await advanceBooking(
      tx,
      booking,
      actor,
      {
        unit: { from: "OCCUPIED", to: carriedBlock || cleaning ? "BLOCKED" : "AVAILABLE" },
        changes: { status: "MOVED_OUT", movedOutAt: now },
        event: "booking.moved_out",
        data: {
          status: "moved_out",
          previous_status: "fulfilled",
          moved_out_at: now.toISOString(),
          move_out_date: moveOutDate,
          unit_blocked_until: cleaning ? cleaningEndsAt.toISOString() : carriedBlock ? (carriedBlock.ends_at?.toISOString() ?? null) : null,
        },
        simulatedNow: options.now,
      },
      now,
    );
    for (const grantId of revoked) {
      await appendBookingEvent(tx, booking, actor, {
        type: "access.revoked",
        version,
        now: options.now,
        data: { access_grant_id: grantId, revoked_at: now.toISOString(), reason: "moved out" },
      });
    }
    let blockId: string | null = carriedBlock?.id ?? null;
    if (cleaning) {
      const block = await tx.maintenanceBlock.create({
        data: {
          facilityId: unit.facility_id,
          unitId: unit.id,
          reason: "CLEANING",
          note: `After move-out of ${booking.reference}${input.note ? `: ${input.note}` : ""}`,
          status: "ACTIVE",
          startsAt: now,
          endsAt: cleaningEndsAt,
          startedAt: now,
          createdByUserId: userIdOf(actor),
          correlationId: actor.correlationId,
          createdAt: now,
        },
        select: { id: true },
      });
      blockId = block.id;
      await appendUnitEvent(tx, { actor, now, clock: options.now }, unit, "unit.blocked", pool, {
        block_id: block.id,
        reason: "CLEANING",
        starts_at: now.toISOString(),
        ends_at: cleaningEndsAt.toISOString(),
        cause: "booking.moved_out",
      });
    }
    await writeAudit(tx, actor, {
      action: "booking.move_out",
      targetType: "booking",
      targetId: booking.reference,
      facilityId: booking.facility_id,
      reason: input.note ?? null,
      metadata: {
        move_out_date: moveOutDate,
        unit_code: unit.code,
        revoked_access_grants: revoked.length,
        block_id: blockId,
        block: cleaning ? "cleaning" : carriedBlock ? "carried" : "none",
        block_ends_at: cleaning ? cleaningEndsAt.toISOString() : (carriedBlock?.ends_at?.toISOString() ?? null),
        inventory_version: pool.inventoryVersion,
      },
      at: options.now,
    });
    return { ...(await loadBookingView(tx, booking.id, now)), changed: true };
  });
}
