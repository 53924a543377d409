import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, poolInvariantViolations, type TestPartner, type TestPool } from "../../test/factories";
import { createUser } from "../../test/user-factory";
import type { RequestMeta } from "../auth/request-meta";
import { disconnectDb, getDb } from "../db";
import { confirmBooking } from "../domain/bookings/confirm-booking";
import { createHold } from "../domain/bookings/create-hold";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { blockUnitAction, releaseHoldAction, unblockUnitAction } from "./inventory";

afterAll(disconnectDb);

function meta(): RequestMeta {
  return { ip: "10.9.8.7", userAgent: "vitest", correlationId: `cor_inv_action_${crypto.randomUUID()}` };
}

async function sessionUser(role: SessionUser["role"], facilityIds: string[] = []): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser({ role, facilityIds })).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

const auditsOf = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" } });
const eventsOf = (correlationId: string) => getDb().event.findMany({ where: { correlationId }, orderBy: { seq: "asc" } });

/** Everything a refused call must leave as it was. */
async function stateOf(pool: TestPool) {
  const db = getDb();
  return {
    pool: await db.inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } }),
    units: await db.unit.findMany({ where: { poolId: pool.poolId }, select: { code: true, status: true }, orderBy: { code: "asc" } }),
    blocks: await db.maintenanceBlock.findMany({ where: { facilityId: pool.facilityId }, select: { id: true, status: true }, orderBy: { id: "asc" } }),
    bookings: await db.booking.findMany({ where: { facilityId: pool.facilityId }, select: { reference: true, status: true }, orderBy: { reference: "asc" } }),
  };
}

let own: TestPool;
let other: TestPool;
let partner: TestPartner;
let manager: SessionUser;
let support: SessionUser;
let opsLead: SessionUser;

beforeAll(async () => {
  own = await createFacilityWithPool({ units: 6 });
  other = await createFacilityWithPool({ units: 3 });
  partner = await createPartner();
  [manager, support, opsLead] = await Promise.all([
    sessionUser("SITE_MANAGER", [own.facilityId]),
    sessionUser("SUPPORT"),
    sessionUser("OPS_LEAD"),
  ]);
});

describe("blockUnitAction", () => {
  it("support is FORBIDDEN, audited as DENIED, and nothing changes", async () => {
    const before = await stateOf(own);
    const request = meta();

    const result = await blockUnitAction.withRequest({ user: support, meta: request })({
      facility_code: own.facilityCode,
      unit_code: "A-105",
      reason: "DAMAGE",
    });

    expect(result).toMatchObject({ ok: false, code: "FORBIDDEN", correlationId: request.correlationId });
    expect(await stateOf(own)).toEqual(before);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      { action: "unit.block", result: "DENIED", actorId: support.id, targetType: "permission", targetId: "unit.block" },
    ]);
    expect(await eventsOf(request.correlationId)).toEqual([]);
  });

  it("a signed-out call is UNAUTHENTICATED and leaves no trace", async () => {
    const request = meta();
    const result = await blockUnitAction.withRequest({ user: null, meta: request })({ facility_code: own.facilityCode, unit_code: "A-105", reason: "DAMAGE" });
    expect(result).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });

  it("a site manager blocking at another facility gets NOT_FOUND, audited as DENIED, nothing changed", async () => {
    const before = await stateOf(other);
    const request = meta();

    const result = await blockUnitAction.withRequest({ user: manager, meta: request })({
      facility_code: other.facilityCode,
      unit_code: "A-100",
      reason: "PEST",
    });

    expect(result).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await stateOf(other)).toEqual(before);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      { action: "unit.block", result: "DENIED", targetType: "unit", targetId: `${other.facilityCode}/A-100` },
    ]);
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const before = await stateOf(own);
    const request = meta();
    const as = { user: manager, meta: request };

    const badReason = await blockUnitAction.withRequest(as)({ facility_code: own.facilityCode, unit_code: "A-105", reason: "BORED" });
    const badEnd = await blockUnitAction.withRequest(as)({
      facility_code: own.facilityCode,
      unit_code: "A-105",
      reason: "DAMAGE",
      starts_at: "2030-01-02T10:00:00Z",
      ends_at: "2030-01-01T10:00:00Z",
    });
    const extra = await blockUnitAction.withRequest(as)({ facility_code: own.facilityCode, unit_code: "A-105", reason: "DAMAGE", admin: true });

    expect(badReason).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { reason: [expect.any(String)] } });
    expect(badEnd).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { ends_at: [expect.any(String)] } });
    expect(extra).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
    expect(await stateOf(own)).toEqual(before);
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });

  it("blocks a unit now: unit BLOCKED, counters and version change, events and audit in the same correlation", async () => {
    const before = await stateOf(own);
    const request = meta();

    const result = await blockUnitAction.withRequest({ user: manager, meta: request })({
      facility_code: own.facilityCode,
      unit_code: "A-105",
      reason: "LOCK_FAULT",
      note: "padlock seized",
    });

    expect(result).toMatchObject({ ok: true, data: { block: { unitCode: "A-105", status: "ACTIVE", reason: "LOCK_FAULT" }, movedBooking: null } });
    const after = await stateOf(own);
    expect(after.pool.blocked).toBe(before.pool.blocked + 1);
    expect(after.pool.available).toBe(before.pool.available - 1);
    expect(after.pool.inventoryVersion).toBe(before.pool.inventoryVersion + 1);
    expect(result.ok && result.data.inventoryVersion).toBe(after.pool.inventoryVersion);
    expect(after.units.find((u) => u.code === "A-105")!.status).toBe("BLOCKED");
    expect((await eventsOf(request.correlationId)).map((e) => e.type)).toEqual(["inventory.updated", "unit.blocked"]);
    expect(await auditsOf(request.correlationId)).toMatchObject([{ action: "unit.block", result: "SUCCESS", actorId: manager.id }]);
    expect(await poolInvariantViolations(own.poolId)).toEqual([]);
  });

  it("schedules a block: nothing changes until it starts; then unblocking calls it off", async () => {
    const before = await stateOf(own);
    const request = meta();
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();

    const result = await blockUnitAction.withRequest({ user: opsLead, meta: request })({
      facility_code: own.facilityCode,
      unit_code: "A-104",
      reason: "CLEANING",
      starts_at: startsAt,
    });

    expect(result).toMatchObject({ ok: true, data: { block: { status: "SCHEDULED", startsAt } } });
    const after = await stateOf(own);
    expect(after.pool).toEqual(before.pool);
    expect(await auditsOf(request.correlationId)).toMatchObject([{ action: "unit.block_scheduled", result: "SUCCESS" }]);

    const unblock = meta();
    const blockId = result.ok ? result.data.block.id : "";
    const cancelled = await unblockUnitAction.withRequest({ user: opsLead, meta: unblock })({ block_id: blockId, note: "done early" });
    expect(cancelled).toMatchObject({ ok: true, data: { changed: true, inventoryVersion: null, block: { status: "CANCELLED" } } });
    expect(await auditsOf(unblock.correlationId)).toMatchObject([{ action: "unit.block_cancel", result: "SUCCESS" }]);
  });

  it("names the booking when the unit is held, and moves it when asked", async () => {
    const hold = await createHold(holdInput(own), partner.actor);
    const before = await stateOf(own);
    const request = meta();
    const as = { user: manager, meta: request };

    const refused = await blockUnitAction.withRequest(as)({ facility_code: own.facilityCode, unit_code: hold.unitCode, reason: "PEST" });
    expect(refused).toMatchObject({
      ok: false,
      code: "CONFLICT",
      context: { booking_reference: hold.reference, booking_status: "tentative", can_move: true },
    });
    expect(refused.ok === false && refused.message).toContain(hold.reference);
    expect(await stateOf(own)).toEqual(before);

    const moved = await blockUnitAction.withRequest(as)({
      facility_code: own.facilityCode,
      unit_code: hold.unitCode,
      reason: "PEST",
      move_conflicting_booking: true,
    });
    expect(moved).toMatchObject({ ok: true, data: { movedBooking: { reference: hold.reference, fromUnitCode: hold.unitCode } } });
    expect(await poolInvariantViolations(own.poolId)).toEqual([]);
  });
});

describe("unblockUnitAction", () => {
  it("support is FORBIDDEN and DENIED; a site manager elsewhere gets NOT_FOUND; an ops lead ends the block", async () => {
    const blocked = await blockUnitAction.withRequest({ user: opsLead, meta: meta() })({ facility_code: other.facilityCode, unit_code: "A-102", reason: "DAMAGE" });
    if (!blocked.ok) throw new Error(blocked.message);
    const blockId = blocked.data.block.id;
    const before = await stateOf(other);

    const bySupport = meta();
    expect(await unblockUnitAction.withRequest({ user: support, meta: bySupport })({ block_id: blockId })).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await auditsOf(bySupport.correlationId)).toMatchObject([{ action: "unit.unblock", result: "DENIED" }]);

    const byManager = meta();
    expect(await unblockUnitAction.withRequest({ user: manager, meta: byManager })({ block_id: blockId })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await auditsOf(byManager.correlationId)).toMatchObject([{ action: "unit.unblock", result: "DENIED", targetId: blockId }]);
    expect(await stateOf(other)).toEqual(before);

    expect(await unblockUnitAction.withRequest({ user: opsLead, meta: meta() })({ block_id: "not-a-uuid" })).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      fieldErrors: { block_id: [expect.any(String)] },
    });

    const request = meta();
    const ended = await unblockUnitAction.withRequest({ user: opsLead, meta: request })({ block_id: blockId });
    expect(ended).toMatchObject({ ok: true, data: { changed: true, block: { status: "ENDED" } } });
    const after = await stateOf(other);
    expect(after.pool.blocked).toBe(before.pool.blocked - 1);
    expect(after.pool.available).toBe(before.pool.available + 1);
    expect(after.pool.inventoryVersion).toBe(before.pool.inventoryVersion + 1);
    expect((await eventsOf(request.correlationId)).map((e) => e.type)).toEqual(["inventory.updated", "unit.unblocked"]);
    expect(await auditsOf(request.correlationId)).toMatchObject([{ action: "unit.unblock", result: "SUCCESS" }]);

    // again: a no-op, nothing new
    const again = meta();
    expect(await unblockUnitAction.withRequest({ user: opsLead, meta: again })({ block_id: blockId })).toMatchObject({ ok: true, data: { changed: false } });
    expect(await eventsOf(again.correlationId)).toEqual([]);
  });
});

describe("releaseHoldAction", () => {
  it("a site manager elsewhere gets NOT_FOUND (DENIED audited); a reason is required; nothing changes", async () => {
    const hold = await createHold(holdInput(other), partner.actor);
    const before = await stateOf(other);

    const elsewhere = meta();
    const result = await releaseHoldAction.withRequest({ user: manager, meta: elsewhere })({ reference: hold.reference, reason: "test" });
    expect(result).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await auditsOf(elsewhere.correlationId)).toMatchObject([{ action: "booking.cancel", result: "DENIED", targetId: hold.reference }]);

    const noReason = meta();
    expect(await releaseHoldAction.withRequest({ user: opsLead, meta: noReason })({ reference: hold.reference, reason: "  " })).toMatchObject({
      ok: false,
      code: "VALIDATION_FAILED",
      fieldErrors: { reason: [expect.any(String)] },
    });
    expect(await stateOf(other)).toEqual(before);
  });

  it("a signed-out caller (every console role holds booking.cancel) is UNAUTHENTICATED and changes nothing", async () => {
    const hold = await createHold(holdInput(own), partner.actor);
    const before = await stateOf(own);
    const request = meta();
    const result = await releaseHoldAction.withRequest({ user: null, meta: request })({ reference: hold.reference, reason: "forged" });
    expect(result).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await stateOf(own)).toEqual(before);
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });

  it("support releases a hold: booking cancelled with the reason, unit available, counters and version changed, events + audit", async () => {
    const hold = await createHold(holdInput(own), partner.actor, { idempotencyKey: "idem-release" });
    const before = await stateOf(own);
    const request = meta();

    const result = await releaseHoldAction.withRequest({ user: support, meta: request })({ reference: hold.reference, reason: "duplicate hold from partner retry" });

    expect(result).toMatchObject({ ok: true, data: { reference: hold.reference, status: "CANCELLED", released: true } });
    const after = await stateOf(own);
    expect(after.pool.held).toBe(before.pool.held - 1);
    expect(after.pool.available).toBe(before.pool.available + 1);
    expect(after.pool.inventoryVersion).toBe(before.pool.inventoryVersion + 1);
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference: hold.reference } });
    expect(booking).toMatchObject({ status: "CANCELLED", cancelReason: "duplicate hold from partner retry", cancelledBy: support.email });
    expect((await eventsOf(request.correlationId)).map((e) => e.type)).toEqual(["inventory.updated", "booking.cancelled"]);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      { action: "booking.cancel", result: "SUCCESS", targetId: hold.reference, reason: "duplicate hold from partner retry" },
    ]);

    // releasing it again is a no-op
    const again = meta();
    expect(await releaseHoldAction.withRequest({ user: support, meta: again })({ reference: hold.reference, reason: "again" })).toMatchObject({
      ok: true,
      data: { released: false, status: "CANCELLED" },
    });
    expect(await eventsOf(again.correlationId)).toEqual([]);
    expect(await poolInvariantViolations(own.poolId)).toEqual([]);
  });

  it("refuses to release a booking confirmed since the board was read", async () => {
    const hold = await createHold(holdInput(own), partner.actor);
    await confirmBooking(hold.reference, partner.actor);
    const before = await stateOf(own);

    const result = await releaseHoldAction.withRequest({ user: opsLead, meta: meta() })({ reference: hold.reference, reason: "stale click" });

    expect(result).toMatchObject({ ok: false, code: "INVALID_TRANSITION", context: { current_status: "confirmed" } });
    expect(await stateOf(own)).toEqual(before);
  });
});
