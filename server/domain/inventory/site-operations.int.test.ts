import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure } from "../../config";
import { disconnectDb, getDb } from "../../db";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolInvariantViolations,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
  type TestUser,
  refusalOf,
} from "../../../test/factories";
import { type DomainError } from "@/server/domain/shared/errors";
import { closeRateLimitPool } from "../rate-limits/consume";
import { regenerateAccessCode } from "../access/regenerate-access-code";
import { revealAccessCode } from "../access/reveal-access-code";
import { cancelBooking } from "../bookings/cancel-booking";
import { confirmBooking } from "../bookings/confirm-booking";
import { createHold } from "../bookings/create-hold";
import { expireHolds } from "../bookings/expire-holds";
import { fulfilBooking } from "../bookings/fulfil-booking";
import { moveOutBooking } from "../bookings/move-out-booking";
import { blockUnit } from "./block-unit";
import { endDueBlocks } from "./end-due-blocks";
import { startDueBlocks } from "./start-due-blocks";
import { unblockUnit } from "./unblock-unit";

/**
 * Site operations on real PostgreSQL (docs/domain.md#site-operations, #move-out): an
 * overlock keeps the tenant and suspends their access; unblocking restores it; move-out
 * revokes access and blocks the unit for cleaning until the job or a manager ends it;
 * an overlock racing a cancel leaves one consistent answer. A database of its own: the
 * end-blocks job runs with a simulated clock.
 */

let dropDatabase: () => Promise<void>;
let pool: TestPool;
let partner: TestPartner;
let manager: TestUser;
let support: TestUser;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("siteops");
  pool = await createFacilityWithPool({ units: 12 });
  partner = await createPartner();
  manager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] });
  support = await createConsoleUser({ role: "SUPPORT" });
});
afterAll(async () => {
  await closeRateLimitPool();
  await dropDatabase();
  await disconnectDb();
});

const HOUR = 3_600_000;

async function movedIn() {
  const held = await createHold(holdInput(pool), partner.actor);
  await confirmBooking(held.reference, partner.actor);
  const booking = await fulfilBooking(held.reference, partner.actor);
  return { id: booking.id, reference: booking.reference, unitCode: booking.unitCode };
}


async function stateOf(bookingId: string) {
  const db = getDb();
  const booking = await db.booking.findUniqueOrThrow({ where: { id: bookingId }, include: { unit: true, accessGrants: { orderBy: { issuedAt: "asc" } } } });
  // this booking's blocks only: units are reused by later tests
  const blocks = await db.maintenanceBlock.findMany({ where: { unitId: booking.unitId, createdAt: { gte: booking.createdAt } }, orderBy: { createdAt: "asc" } });
  return {
    booking: booking.status,
    version: booking.version,
    unit: booking.unit.status,
    grants: booking.accessGrants.map((g) => g.status),
    blocks: blocks.map((b) => `${b.reason}:${b.status}`),
  };
}

async function typesOf(bookingId: string, fromVersion: number) {
  const events = await getDb().event.findMany({ where: { bookingId, aggregateType: "booking", aggregateVersion: { gt: fromVersion } }, orderBy: { seq: "asc" } });
  return events.map((e) => e.type);
}

describe("overlock on an occupied unit", () => {
  it("keeps the booking, suspends access (access.suspended), and unblocking restores it (access.restored)", async () => {
    const booking = await movedIn();
    const before = await stateOf(booking.id);
    const inventoryBefore = await getDb().inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } });
    const { block } = await blockUnit({ facility_code: pool.facilityCode, unit_code: booking.unitCode, reason: "OVERLOCK", note: "rent overdue" }, manager.actor);
    expect(await stateOf(booking.id)).toEqual({ ...before, version: before.version + 1, grants: ["SUSPENDED"], blocks: ["OVERLOCK:ACTIVE"] });
    expect(await typesOf(booking.id, before.version)).toEqual(["access.suspended"]);
    // the pool did not change: the unit is still occupied
    expect((await getDb().inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } })).inventoryVersion).toBe(inventoryBefore.inventoryVersion);
    const unitEvent = await getDb().event.findFirstOrThrow({ where: { type: "unit.blocked", aggregateType: "unit" }, orderBy: { seq: "desc" } });
    expect(unitEvent.data).toMatchObject({ unit_code: booking.unitCode, reason: "OVERLOCK", occupied: true, block_id: block.id });
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
    // the code is still readable, marked suspended
    expect((await revealAccessCode(booking.reference, manager.actor)).status).toBe("SUSPENDED");

    const result = await unblockUnit({ block_id: block.id, note: "paid" }, manager.actor);
    expect(result.changed).toBe(true);
    expect(await stateOf(booking.id)).toEqual({ ...before, version: before.version + 2, grants: ["ACTIVE"], blocks: ["OVERLOCK:ENDED"] });
    expect(await typesOf(booking.id, before.version)).toEqual(["access.suspended", "access.restored"]);
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });

  it("a lock fault that ends by itself restores access through the end-blocks job", async () => {
    const booking = await movedIn();
    const now = new Date();
    await blockUnit(
      { facility_code: pool.facilityCode, unit_code: booking.unitCode, reason: "LOCK_FAULT", ends_at: new Date(now.getTime() + 2 * HOUR).toISOString() },
      manager.actor,
      { now },
    );
    expect((await stateOf(booking.id)).grants).toEqual(["SUSPENDED"]);
    expect(await endDueBlocks({ now: new Date(now.getTime() + 2 * HOUR) })).toEqual({ ended: 1, failed: 0 });
    expect(await stateOf(booking.id)).toMatchObject({ booking: "FULFILLED", unit: "OCCUPIED", grants: ["ACTIVE"], blocks: ["LOCK_FAULT:ENDED"] });
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });

  it("a scheduled overlock starts on the occupied unit without moving the tenant", async () => {
    const booking = await movedIn();
    const now = new Date();
    const startsAt = new Date(now.getTime() + HOUR);
    await blockUnit({ facility_code: pool.facilityCode, unit_code: booking.unitCode, reason: "OVERLOCK", starts_at: startsAt.toISOString() }, manager.actor, { now });
    expect((await stateOf(booking.id)).grants).toEqual(["ACTIVE"]);
    expect(await startDueBlocks({ now: startsAt })).toMatchObject({ started: 1, failed: 0 });
    expect(await stateOf(booking.id)).toMatchObject({ booking: "FULFILLED", unit: "OCCUPIED", grants: ["SUSPENDED"], blocks: ["OVERLOCK:ACTIVE"] });
    const regenerated = await regenerateAccessCode(booking.reference, { reason: "new tenant key" }, manager.actor);
    expect(regenerated.status).toBe("SUSPENDED");
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });

  it("other reasons still refuse an occupied unit, and support may not block; nothing changes", async () => {
    const booking = await movedIn();
    const before = await stateOf(booking.id);
    const error = await refusalOf(blockUnit({ facility_code: pool.facilityCode, unit_code: booking.unitCode, reason: "DAMAGE" }, manager.actor));
    expect({ code: error.code, booking: error.context.booking_reference }).toEqual({ code: "CONFLICT", booking: booking.reference });
    expect((await refusalOf(blockUnit({ facility_code: pool.facilityCode, unit_code: booking.unitCode, reason: "OVERLOCK" }, support.actor))).code).toBe("FORBIDDEN");
    expect(await stateOf(booking.id)).toEqual(before);
  });
});

describe("move-out", () => {
  it("revokes access and blocks the unit for cleaning for HOLDFAST_MOVE_OUT_BLOCK_HOURS; the job then puts it back on sale", async () => {
    const restore = configure({ HOLDFAST_MOVE_OUT_BLOCK_HOURS: "6" });
    try {
      const booking = await movedIn();
      const before = await stateOf(booking.id);
      const now = new Date();
      const moved = await moveOutBooking(booking.reference, { note: "keys back" }, manager.actor, { now });
      expect({ status: moved.status, changed: moved.changed, allowed: moved.allowedActions }).toEqual({ status: "MOVED_OUT", changed: true, allowed: [] });
      expect(await stateOf(booking.id)).toEqual({ booking: "MOVED_OUT", version: before.version + 1, unit: "BLOCKED", grants: ["REVOKED"], blocks: ["CLEANING:ACTIVE"] });
      expect(await typesOf(booking.id, before.version)).toEqual(["booking.moved_out", "access.revoked"]);
      const block = await getDb().maintenanceBlock.findFirstOrThrow({ where: { unit: { code: booking.unitCode, poolId: pool.poolId }, status: "ACTIVE" } });
      expect(block.endsAt?.getTime()).toBe(now.getTime() + 6 * HOUR);
      expect(await poolInvariantViolations(pool.poolId)).toEqual([]);

      const again = await moveOutBooking(booking.reference, {}, manager.actor);
      expect(again.changed).toBe(false);
      expect((await refusalOf(revealAccessCode(booking.reference, manager.actor))).code).toBe("CONFLICT");

      expect(await endDueBlocks({ now: new Date(now.getTime() + 6 * HOUR - 1) })).toEqual({ ended: 0, failed: 0 });
      expect(await endDueBlocks({ now: new Date(now.getTime() + 6 * HOUR) })).toEqual({ ended: 1, failed: 0 });
      expect((await stateOf(booking.id)).unit).toBe("AVAILABLE");
      expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
    } finally {
      restore();
    }
  });

  it("a manager can release the cleaning block early", async () => {
    const booking = await movedIn();
    await moveOutBooking(booking.reference, {}, manager.actor);
    const block = await getDb().maintenanceBlock.findFirstOrThrow({ where: { unit: { code: booking.unitCode, poolId: pool.poolId }, status: "ACTIVE" } });
    await unblockUnit({ block_id: block.id }, manager.actor);
    expect(await stateOf(booking.id)).toMatchObject({ unit: "AVAILABLE", blocks: ["CLEANING:ENDED"] });
  });

  it("an overlocked tenant who moves out leaves the unit under the overlock, with no cleaning block added", async () => {
    const booking = await movedIn();
    await blockUnit({ facility_code: pool.facilityCode, unit_code: booking.unitCode, reason: "OVERLOCK" }, manager.actor);
    await moveOutBooking(booking.reference, {}, manager.actor);
    expect(await stateOf(booking.id)).toMatchObject({ booking: "MOVED_OUT", unit: "BLOCKED", grants: ["REVOKED"], blocks: ["OVERLOCK:ACTIVE"] });
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });

  it("refuses support, a booking not moved in, and a future date, changing nothing", async () => {
    const booking = await movedIn();
    const before = await stateOf(booking.id);
    expect((await refusalOf(moveOutBooking(booking.reference, {}, support.actor))).code).toBe("FORBIDDEN");
    const future = await refusalOf(moveOutBooking(booking.reference, { move_out_date: "2999-01-01" }, manager.actor));
    expect({ code: future.code, path: future.fieldErrors?.[0]?.path }).toEqual({ code: "VALIDATION_FAILED", path: "move_out_date" });
    expect(await stateOf(booking.id)).toEqual(before);
    const held = await createHold(holdInput(pool), partner.actor);
    const invalid = await refusalOf(moveOutBooking(held.reference, {}, manager.actor));
    expect({ code: invalid.code, context: invalid.context }).toEqual({ code: "INVALID_TRANSITION", context: { current_status: "tentative", allowed_actions: ["confirm", "cancel"] } });
    await cancelBooking(held.reference, { reason: "test done" }, partner.actor);
  });
});

describe("overlock racing a cancel", () => {
  it("ends consistent whichever commits first: booking cancelled, access revoked, the unit blocked under the overlock", async () => {
    for (let round = 0; round < 4; round++) {
      const booking = await movedIn();
      const [blocked, cancelled] = await Promise.allSettled([
        blockUnit({ facility_code: pool.facilityCode, unit_code: booking.unitCode, reason: "OVERLOCK" }, manager.actor),
        cancelBooking(booking.reference, { reason: "tenancy voided" }, manager.actor),
      ]);
      // Contention may refuse one side as retryable; nothing else.
      for (const side of [blocked, cancelled]) {
        if (side.status === "rejected") expect((side.reason as DomainError).code).toBe("INVENTORY_HELD_BY_OTHER_TXN");
      }
      const state = await stateOf(booking.id);
      expect(state.grants).toEqual([cancelled.status === "fulfilled" ? "REVOKED" : blocked.status === "fulfilled" ? "SUSPENDED" : "ACTIVE"]);
      if (cancelled.status === "fulfilled") expect(state.booking).toBe("CANCELLED");
      if (blocked.status === "fulfilled") {
        expect(state.blocks).toEqual(["OVERLOCK:ACTIVE"]);
        expect(state.unit).toBe(cancelled.status === "fulfilled" ? "BLOCKED" : "OCCUPIED");
      }
      expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
      // clean up for the next round: end any block
      const active = await getDb().maintenanceBlock.findMany({ where: { unit: { code: booking.unitCode, poolId: pool.poolId }, status: "ACTIVE" } });
      for (const b of active) await unblockUnit({ block_id: b.id }, manager.actor);
      if (state.booking === "FULFILLED") await cancelBooking(booking.reference, { reason: "cleanup" }, manager.actor);
    }
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });
});

describe("booking event payloads (docs/webhooks.md#event-types)", () => {
  it("every booking and access event names the facility, unit type and unit, as booking.held does", async () => {
    const stay = await movedIn();
    await regenerateAccessCode(stay.reference, { reason: "lost card" }, manager.actor);
    const { block } = await blockUnit({ facility_code: pool.facilityCode, unit_code: stay.unitCode, reason: "OVERLOCK" }, manager.actor);
    await unblockUnit({ block_id: block.id }, manager.actor);
    await moveOutBooking(stay.reference, {}, manager.actor);
    const voided = await movedIn();
    await cancelBooking(voided.reference, { reason: "moved in by mistake" }, manager.actor);
    const t0 = new Date();
    const lapsing = await createHold(holdInput(pool, { hold_ttl_seconds: 60 }), partner.actor, { now: t0 });
    expect(await expireHolds({ now: new Date(t0.getTime() + 61_000) })).toBeGreaterThanOrEqual(1);

    const events = await getDb().event.findMany({
      where: { aggregateType: "booking", bookingId: { in: [stay.id, voided.id, lapsing.id] } },
      include: { booking: { select: { unit: { select: { code: true } } } } },
      orderBy: { seq: "asc" },
    });
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(["booking.held", "booking.confirmed", "booking.fulfilled", "access.granted", "access.revoked", "access.suspended", "access.restored", "booking.moved_out", "booking.cancelled", "booking.expired"]),
    );
    const missing = events
      .map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, unit: e.booking!.unit.code }))
      .filter((e) => e.data.facility_code !== pool.facilityCode || e.data.unit_type_code !== pool.unitTypeCode || e.data.unit_code !== e.unit)
      .map((e) => `${e.type}: ${JSON.stringify({ facility_code: e.data.facility_code, unit_type_code: e.data.unit_type_code, unit_code: e.data.unit_code })}`);
    expect(missing).toEqual([]);
  });
});
