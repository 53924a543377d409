import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolState,
  type TestPartner,
  type TestPool,
  type TestUser,
  refusalOf,
} from "../../../test/factories";
import { disconnectDb, getDb } from "../../db";
import { confirmBooking } from "../bookings/confirm-booking";
import { createHold } from "../bookings/create-hold";
import { fulfilBooking } from "../bookings/fulfil-booking";
import { systemActor } from "@/server/domain/shared/actor";
import { blockUnit } from "./block-unit";
import { listUnitBlocks } from "./list-unit-blocks";
import { unblockUnit } from "./unblock-unit";

let partner: TestPartner;
let opsLead: TestUser;

beforeAll(async () => {
  partner = await createPartner();
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(disconnectDb);


/** Counters equal the units' statuses; returns the pool state. */
async function consistent(pool: TestPool) {
  const state = await poolState(pool.poolId);
  expect(state.counters).toEqual(state.actual);
  const c = state.counters;
  expect(c.available + c.held + c.booked + c.occupied + c.blocked).toBe(state.pool.total);
  const events = await getDb().event.count({ where: { aggregateType: "pool", aggregateId: pool.poolId, type: "inventory.updated" } });
  expect(events).toBe(state.pool.inventoryVersion);
  return state;
}

async function unitByCode(pool: TestPool, code: string) {
  return getDb().unit.findFirstOrThrow({ where: { facilityId: pool.facilityId, code } });
}

async function snapshot(pool: TestPool) {
  const db = getDb();
  return {
    pool: await db.inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } }),
    units: await db.unit.findMany({ where: { poolId: pool.poolId }, select: { code: true, status: true }, orderBy: { code: "asc" } }),
    bookings: await db.booking.findMany({
      where: { poolId: pool.poolId },
      select: { reference: true, status: true, unitId: true, version: true },
      orderBy: { reference: "asc" },
    }),
    blocks: await db.maintenanceBlock.count({ where: { facilityId: pool.facilityId } }),
    events: await db.event.count({ where: { facilityId: pool.facilityId } }),
  };
}

const blockInput = (pool: TestPool, unitCode: string, extra: Record<string, unknown> = {}) => ({
  facility_code: pool.facilityCode,
  unit_code: unitCode,
  reason: "DAMAGE" as const,
  note: "Door hinge broken",
  ...extra,
});

describe("blocking a unit now", () => {
  it("blocks an AVAILABLE unit: unit and counters together, version +1, inventory.updated + unit.blocked, audit", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const before = await consistent(pool);
    const result = await blockUnit(blockInput(pool, "A-101"), opsLead.actor);

    expect(result.block).toMatchObject({
      unitCode: "A-101",
      unitTypeCode: pool.unitTypeCode,
      reason: "DAMAGE",
      note: "Door hinge broken",
      status: "ACTIVE",
      endsAt: null,
      createdBy: { id: opsLead.id, email: opsLead.email },
    });
    expect(result.block.startedAt).not.toBeNull();
    expect(result.movedBooking).toBeNull();
    expect(result.inventoryVersion).toBe(before.pool.inventoryVersion + 1);

    const after = await consistent(pool);
    expect(after.counters).toEqual({ ...before.counters, available: before.counters.available - 1, blocked: 1 });
    const unit = await unitByCode(pool, "A-101");
    expect(unit.status).toBe("BLOCKED");

    const inventoryEvent = await getDb().event.findFirstOrThrow({
      where: { aggregateId: pool.poolId, aggregateVersion: after.pool.inventoryVersion },
    });
    expect(inventoryEvent.type).toBe("inventory.updated");
    expect(inventoryEvent.data).toMatchObject({ cause: "unit.blocked", blocked: 1, inventory_version: after.pool.inventoryVersion });
    const unitEvents = await getDb().event.findMany({ where: { aggregateType: "unit", aggregateId: unit.id } });
    expect(unitEvents).toHaveLength(1);
    expect(unitEvents[0]).toMatchObject({
      type: "unit.blocked",
      aggregateVersion: 1,
      facilityId: pool.facilityId,
      correlationId: opsLead.actor.correlationId,
    });
    expect(unitEvents[0]!.data).toEqual({
      facility_code: pool.facilityCode,
      unit_code: "A-101",
      unit_type_code: pool.unitTypeCode,
      block_id: result.block.id,
      reason: "DAMAGE",
      starts_at: result.block.startsAt.toISOString(),
      ends_at: null,
      inventory_version: after.pool.inventoryVersion,
    });

    const audit = await getDb().auditEntry.findMany({ where: { targetType: "maintenance_block", targetId: result.block.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "unit.block", result: "SUCCESS", actorType: "USER", actorId: opsLead.id, facilityId: pool.facilityId });
    expect(audit[0]!.metadata).toMatchObject({ reason: "DAMAGE", note: "Door hinge broken", unit_code: "A-101" });

    // a blocked unit is not handed out
    const held = await createHold(holdInput(pool), partner.actor);
    expect(held.unitCode).toBe("A-100");
    const second = await createHold(holdInput(pool), partner.actor);
    expect(second.unitCode).toBe("A-102");
    expect((await refusalOf(createHold(holdInput(pool), partner.actor))).code).toBe("INVENTORY_UNAVAILABLE");
    await consistent(pool);
  });

  it("refuses a unit that is already blocked, naming the block, and changes nothing", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const first = await blockUnit(blockInput(pool, "A-100"), opsLead.actor);
    const before = await snapshot(pool);
    const error = await refusalOf(blockUnit(blockInput(pool, "A-100", { reason: "PEST" }), opsLead.actor));
    expect(error.code).toBe("CONFLICT");
    expect(error.context).toMatchObject({ block_id: first.block.id, block_status: "active" });
    expect(await snapshot(pool)).toEqual(before);
  });

  it("refuses a HELD unit naming the booking, and nothing changes", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const held = await createHold(holdInput(pool), partner.actor);
    const before = await snapshot(pool);
    const error = await refusalOf(blockUnit(blockInput(pool, held.unitCode), opsLead.actor));
    expect(error.code).toBe("CONFLICT");
    expect(error.context).toMatchObject({
      unit_code: held.unitCode,
      booking_reference: held.reference,
      booking_status: "tentative",
      move_in_date: held.moveInDate,
      can_move: true,
    });
    expect(error.message).toContain(held.reference);
    expect(await snapshot(pool)).toEqual(before);
    await consistent(pool);
  });

  it("refuses a BOOKED unit whose confirmed move-in falls in the block, naming the booking and the move-in", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const held = await createHold(holdInput(pool), partner.actor);
    await confirmBooking(held.reference, partner.actor);
    const before = await snapshot(pool);
    const error = await refusalOf(blockUnit(blockInput(pool, held.unitCode), opsLead.actor));
    expect(error.code).toBe("CONFLICT");
    expect(error.context).toMatchObject({
      booking_reference: held.reference,
      booking_status: "confirmed",
      move_in_date: held.moveInDate,
      overlaps_move_in: true,
    });
    // a block that ends before the move-in day still cannot take a booked unit
    const short = await refusalOf(
      blockUnit(blockInput(pool, held.unitCode, { ends_at: new Date(Date.now() + 3_600_000).toISOString() }), opsLead.actor),
    );
    expect(short.context).toMatchObject({ booking_reference: held.reference, overlaps_move_in: false });
    expect(await snapshot(pool)).toEqual(before);
  });

  it("moves a held booking to another unit of the pool when asked: both units right, version +2 for the move, +1 for the block", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const held = await createHold(holdInput(pool), partner.actor);
    expect(held.unitCode).toBe("A-100");
    const before = await consistent(pool);

    const result = await blockUnit(blockInput(pool, "A-100", { move_conflicting_booking: true }), opsLead.actor);
    expect(result.movedBooking).toMatchObject({
      reference: held.reference,
      status: "tentative",
      fromUnitCode: "A-100",
      toUnitCode: "A-101",
      bookingVersion: 2,
      inventoryVersion: before.pool.inventoryVersion + 2,
    });
    expect(result.block.status).toBe("ACTIVE");
    expect(result.inventoryVersion).toBe(before.pool.inventoryVersion + 3);

    const after = await consistent(pool);
    expect(after.counters).toEqual({ ...before.counters, available: before.counters.available - 1, blocked: 1 });
    expect((await unitByCode(pool, "A-100")).status).toBe("BLOCKED");
    const newUnit = await unitByCode(pool, "A-101");
    expect(newUnit.status).toBe("HELD");
    const booking = await getDb().booking.findUniqueOrThrow({ where: { id: held.id } });
    expect(booking).toMatchObject({ unitId: newUnit.id, status: "TENTATIVE", version: 2, inventoryVersion: before.pool.inventoryVersion + 2 });

    const bookingEvents = await getDb().event.findMany({ where: { bookingId: held.id }, orderBy: { seq: "asc" } });
    expect(bookingEvents.map((e) => [e.type, (e.data as { cause?: string }).cause])).toEqual([
      ["inventory.updated", "booking.held"],
      ["booking.held", undefined],
      ["inventory.updated", "unit.blocked"],
      ["inventory.updated", "unit.blocked"],
    ]);
    const moveAudit = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: held.reference, action: "booking.move_unit" } });
    expect(moveAudit.metadata).toMatchObject({ from_unit_code: "A-100", to_unit_code: "A-101", block_id: result.block.id });

    // the moved booking lives on as usual
    const confirmed = await confirmBooking(held.reference, partner.actor);
    expect(confirmed).toMatchObject({ status: "CONFIRMED", unitCode: "A-101", version: 3 });
    await consistent(pool);
  });

  it("moves a confirmed booking (unit BOOKED) too", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const held = await createHold(holdInput(pool), partner.actor);
    await confirmBooking(held.reference, partner.actor);
    const result = await blockUnit(blockInput(pool, held.unitCode, { move_conflicting_booking: true }), opsLead.actor);
    expect(result.movedBooking).toMatchObject({ reference: held.reference, status: "confirmed", toUnitCode: "A-101" });
    expect((await unitByCode(pool, "A-101")).status).toBe("BOOKED");
    const after = await consistent(pool);
    expect(after.counters).toEqual({ available: 0, held: 0, booked: 1, occupied: 0, blocked: 1 });
  });

  it("answers INVENTORY_UNAVAILABLE naming the booking when there is no unit to move it to, changing nothing", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const a = await createHold(holdInput(pool), partner.actor);
    await createHold(holdInput(pool), partner.actor);
    const before = await snapshot(pool);
    const error = await refusalOf(blockUnit(blockInput(pool, a.unitCode, { move_conflicting_booking: true }), opsLead.actor));
    expect(error.code).toBe("INVENTORY_UNAVAILABLE");
    expect(error.context).toMatchObject({ booking_reference: a.reference, booking_status: "tentative" });
    expect(await snapshot(pool)).toEqual(before);
  });

  it("refuses an OCCUPIED unit naming the booking, even when asked to move it", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const held = await createHold(holdInput(pool), partner.actor);
    await confirmBooking(held.reference, partner.actor);
    await fulfilBooking(held.reference, partner.actor);
    const before = await snapshot(pool);
    for (const move of [false, true]) {
      const error = await refusalOf(blockUnit(blockInput(pool, held.unitCode, { move_conflicting_booking: move }), opsLead.actor));
      expect(error.code).toBe("CONFLICT");
      expect(error.context).toMatchObject({ booking_reference: held.reference, booking_status: "fulfilled", can_move: false });
    }
    expect(await snapshot(pool)).toEqual(before);
  });

  it("unblocks: the unit is available again (version +1, unit.unblocked), and a second unblock is a no-op", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const { block } = await blockUnit(blockInput(pool, "A-100"), opsLead.actor);
    const before = await consistent(pool);
    const result = await unblockUnit({ block_id: block.id, note: "Hinge replaced" }, opsLead.actor);
    expect(result.changed).toBe(true);
    expect(result.block).toMatchObject({ status: "ENDED", endedBy: { id: opsLead.id } });
    expect(result.inventoryVersion).toBe(before.pool.inventoryVersion + 1);
    const after = await consistent(pool);
    expect(after.counters).toEqual({ ...before.counters, available: before.counters.available + 1, blocked: 0 });
    const unit = await unitByCode(pool, "A-100");
    expect(unit.status).toBe("AVAILABLE");
    const unitEvents = await getDb().event.findMany({ where: { aggregateType: "unit", aggregateId: unit.id }, orderBy: { seq: "asc" } });
    expect(unitEvents.map((e) => [e.type, e.aggregateVersion])).toEqual([
      ["unit.blocked", 1],
      ["unit.unblocked", 2],
    ]);
    const audit = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: block.id, action: "unit.unblock" } });
    expect(audit.metadata).toMatchObject({ note: "Hinge replaced" });

    const again = await unblockUnit({ block_id: block.id }, opsLead.actor);
    expect(again.changed).toBe(false);
    expect((await poolState(pool.poolId)).pool.inventoryVersion).toBe(after.pool.inventoryVersion);
    // and it can be blocked again
    const reblock = await blockUnit(blockInput(pool, "A-100", { reason: "CLEANING" }), opsLead.actor);
    expect(reblock.block.status).toBe("ACTIVE");
    await consistent(pool);
  });
});

describe("scheduling a block", () => {
  it("creates it SCHEDULED without touching the pool; holds take the unit last, not never; cancelling it changes nothing else", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const before = await consistent(pool);
    const startsAt = new Date(Date.now() + 2 * 3_600_000);
    const endsAt = new Date(startsAt.getTime() + 3_600_000);
    const result = await blockUnit(
      blockInput(pool, "A-100", { reason: "CLEANING", starts_at: startsAt.toISOString(), ends_at: endsAt.toISOString() }),
      opsLead.actor,
    );
    expect(result.block).toMatchObject({ status: "SCHEDULED", startsAt, endsAt, startedAt: null });
    expect(result.inventoryVersion).toBe(before.pool.inventoryVersion);
    const after = await consistent(pool);
    expect(after.pool.inventoryVersion).toBe(before.pool.inventoryVersion);
    expect((await unitByCode(pool, "A-100")).status).toBe("AVAILABLE");
    expect((await getDb().auditEntry.findFirstOrThrow({ where: { targetId: result.block.id } })).action).toBe("unit.block_scheduled");

    // an overlapping block is refused, a later one is fine
    const overlap = await refusalOf(
      blockUnit(blockInput(pool, "A-100", { starts_at: new Date(startsAt.getTime() + 60_000).toISOString() }), opsLead.actor),
    );
    expect(overlap.code).toBe("CONFLICT");
    expect(overlap.context).toMatchObject({ block_id: result.block.id, block_status: "scheduled" });
    const openEndedNow = await refusalOf(blockUnit(blockInput(pool, "A-100"), opsLead.actor));
    expect(openEndedNow.context).toMatchObject({ block_id: result.block.id });
    const later = await blockUnit(blockInput(pool, "A-100", { starts_at: endsAt.toISOString() }), opsLead.actor);
    expect(later.block.status).toBe("SCHEDULED");

    // the pool counts A-100 as available, so a hold can take it — after every unit without a block
    const held = await createHold(holdInput(pool), partner.actor);
    expect(held.unitCode).toBe("A-101");
    const last = await createHold(holdInput(pool), partner.actor);
    expect(last.unitCode).toBe("A-100");
    expect((await refusalOf(createHold(holdInput(pool), partner.actor))).code).toBe("INVENTORY_UNAVAILABLE");
    expect((await consistent(pool)).counters).toMatchObject({ available: 0, held: 2 });

    const beforeCancel = await consistent(pool);
    const cancelled = await unblockUnit({ block_id: result.block.id }, opsLead.actor);
    expect(cancelled).toMatchObject({ changed: true, inventoryVersion: null, block: { status: "CANCELLED" } });
    expect((await getDb().auditEntry.findFirstOrThrow({ where: { targetId: result.block.id, action: "unit.block_cancel" } })).result).toBe(
      "SUCCESS",
    );
    await unblockUnit({ block_id: later.block.id }, opsLead.actor);
    // calling off a scheduled block changes neither the unit nor the pool
    expect((await unitByCode(pool, "A-100")).status).toBe("HELD");
    const afterCancel = await consistent(pool);
    expect(afterCancel.pool.inventoryVersion).toBe(beforeCancel.pool.inventoryVersion);
    expect(afterCancel.counters).toEqual(beforeCancel.counters);
  });

  it("refuses to schedule a block on a held unit unless the booking is moved", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const held = await createHold(holdInput(pool), partner.actor);
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const error = await refusalOf(blockUnit(blockInput(pool, held.unitCode, { starts_at: startsAt }), opsLead.actor));
    expect(error.context).toMatchObject({ booking_reference: held.reference });
    const moved = await blockUnit(blockInput(pool, held.unitCode, { starts_at: startsAt, move_conflicting_booking: true }), opsLead.actor);
    expect(moved.block.status).toBe("SCHEDULED");
    expect(moved.movedBooking).toMatchObject({ reference: held.reference, toUnitCode: "A-101" });
    expect((await unitByCode(pool, held.unitCode)).status).toBe("AVAILABLE");
    await consistent(pool);
  });
});

describe("who may block, and input", () => {
  it("answers NOT_FOUND to a site manager of another facility, and scopes the list", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const other = await createFacilityWithPool({ units: 1 });
    const outsider = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [other.facilityId] });
    const manager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] });
    const before = await snapshot(pool);
    expect((await refusalOf(blockUnit(blockInput(pool, "A-100"), outsider.actor))).code).toBe("NOT_FOUND");
    expect(await snapshot(pool)).toEqual(before);

    const { block } = await blockUnit(blockInput(pool, "A-100"), manager.actor);
    expect((await refusalOf(unblockUnit({ block_id: block.id }, outsider.actor))).code).toBe("NOT_FOUND");
    expect((await refusalOf(listUnitBlocks({ facility_code: pool.facilityCode }, outsider.actor))).code).toBe("NOT_FOUND");
    expect((await getDb().maintenanceBlock.findUniqueOrThrow({ where: { id: block.id } })).status).toBe("ACTIVE");
    await unblockUnit({ block_id: block.id }, manager.actor);
  });

  it("refuses actors without the block permission, and partners", async () => {
    const pool = await createFacilityWithPool({ units: 1 });
    const support = await createConsoleUser({ role: "SUPPORT" });
    expect((await refusalOf(blockUnit(blockInput(pool, "A-100"), support.actor))).code).toBe("FORBIDDEN");
    expect((await refusalOf(blockUnit(blockInput(pool, "A-100"), partner.actor))).code).toBe("FORBIDDEN");
    // the system (the worker, the seed) may
    const system = await blockUnit(blockInput(pool, "A-100"), systemActor("test", "cor_test_system"));
    expect(system.block.createdBy).toBeNull();
    await consistent(pool);
  });

  it("validates input: unknown fields, reasons, and an end before the start", async () => {
    const pool = await createFacilityWithPool({ units: 1 });
    const cases: Record<string, unknown>[] = [
      { ...blockInput(pool, "A-100"), extra: 1 },
      { ...blockInput(pool, "A-100"), reason: "BORED" },
      { ...blockInput(pool, "A-100"), note: "x".repeat(1001) },
      { ...blockInput(pool, "A-100"), starts_at: "tomorrow" },
      { ...blockInput(pool, "A-100"), ends_at: new Date(Date.now() - 60_000).toISOString() },
      {
        ...blockInput(pool, "A-100"),
        starts_at: new Date(Date.now() + 7_200_000).toISOString(),
        ends_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
    ];
    for (const input of cases) {
      const error = await refusalOf(blockUnit(input as never, opsLead.actor));
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.fieldErrors?.length).toBeGreaterThan(0);
    }
    expect((await refusalOf(unblockUnit({ block_id: "not-a-uuid" }, opsLead.actor))).code).toBe("VALIDATION_FAILED");
    expect((await refusalOf(unblockUnit({ block_id: crypto.randomUUID() }, opsLead.actor))).code).toBe("NOT_FOUND");
    expect((await refusalOf(blockUnit(blockInput(pool, "Z-999"), opsLead.actor))).code).toBe("NOT_FOUND");
    expect((await poolState(pool.poolId)).pool.inventoryVersion).toBe(0);
  });

  it("lists a facility's blocks newest first, with unit, reason, status and who", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const t0 = new Date();
    const first = await blockUnit(blockInput(pool, "A-100"), opsLead.actor, { now: t0 });
    const second = await blockUnit(
      blockInput(pool, "A-101", { reason: "PEST", starts_at: new Date(t0.getTime() + 86_400_000).toISOString() }),
      opsLead.actor,
      { now: new Date(t0.getTime() + 1000) },
    );
    await unblockUnit({ block_id: first.block.id }, opsLead.actor, { now: new Date(t0.getTime() + 2000) });
    const list = await listUnitBlocks({ facility_code: pool.facilityCode }, opsLead.actor);
    expect(list.map((b) => [b.id, b.unitCode, b.reason, b.status])).toEqual([
      [second.block.id, "A-101", "PEST", "SCHEDULED"],
      [first.block.id, "A-100", "DAMAGE", "ENDED"],
    ]);
    expect(list[1]).toMatchObject({ createdBy: { email: opsLead.email }, endedBy: { email: opsLead.email } });
    const scheduled = await listUnitBlocks({ facility_code: pool.facilityCode, status: ["SCHEDULED"] }, opsLead.actor);
    expect(scheduled.map((b) => b.id)).toEqual([second.block.id]);
    await unblockUnit({ block_id: second.block.id }, opsLead.actor);
  });
});
