import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolInvariantViolations,
  poolState,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
  type TestUser,
} from "../../../test/factories";
import { getDb } from "../../db";
import { cancelBooking } from "../bookings/cancel-booking";
import { confirmBooking } from "../bookings/confirm-booking";
import { createHold } from "../bookings/create-hold";
import { fulfilBooking } from "../bookings/fulfil-booking";
import { blockUnit } from "./block-unit";
import { endDueBlocks } from "./end-due-blocks";
import { startDueBlocks } from "./start-due-blocks";
import { unblockUnit } from "./unblock-unit";
import { retryAsPartner } from "../../../test/retry-as-partner";

// The runners sweep every due block in the database with a simulated clock: this file
// gets a database of its own, so it neither starts other files' blocks nor sees theirs.
let dropDatabase: () => Promise<void>;
let partner: TestPartner;
let opsLead: TestUser;

beforeAll(async () => {
  process.env.DATABASE_POOL_MAX = "30";
  dropDatabase = await useOwnDatabase("blocks");
  partner = await createPartner();
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(() => dropDatabase());

const HOUR = 3_600_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function consistent(pool: TestPool) {
  expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  return poolState(pool.poolId);
}

async function unitByCode(pool: TestPool, code: string) {
  return getDb().unit.findFirstOrThrow({ where: { facilityId: pool.facilityId, code } });
}

/** A SCHEDULED block written directly: what a block scheduled just before a hold took the unit looks like. */
async function scheduledBlockRow(pool: TestPool, unitCode: string, startsAt: Date, endsAt: Date | null = null, reason: "LOCK_FAULT" | "DAMAGE" = "LOCK_FAULT") {
  const unit = await unitByCode(pool, unitCode);
  return getDb().maintenanceBlock.create({
    data: { facilityId: pool.facilityId, unitId: unit.id, reason, status: "SCHEDULED", startsAt, endsAt },
  });
}

async function blockStatus(id: string) {
  return (await getDb().maintenanceBlock.findUniqueOrThrow({ where: { id } })).status;
}

const none = { started: 0, moved: 0, lapsed: 0, failed: 0 };

describe("scheduled blocks start and end by themselves", () => {
  it("a hold prefers units without a scheduled block; the block starts when due (once), and ends when due (once)", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const t0 = new Date();
    const { block } = await blockUnit(
      {
        facility_code: pool.facilityCode,
        unit_code: "A-100",
        reason: "CLEANING",
        starts_at: at(t0, HOUR).toISOString(),
        ends_at: at(t0, 3 * HOUR).toISOString(),
      },
      opsLead.actor,
      { now: t0 },
    );
    const v0 = (await consistent(pool)).pool.inventoryVersion;

    expect(await startDueBlocks({ now: at(t0, HOUR - 1) })).toEqual(none);
    expect(await blockStatus(block.id)).toBe("SCHEDULED");
    const held = await createHold(holdInput(pool), partner.actor);
    expect(held.unitCode).toBe("A-101");
    expect((await unitByCode(pool, "A-100")).status).toBe("AVAILABLE");

    expect(await startDueBlocks({ now: at(t0, HOUR) })).toEqual({ ...none, started: 1 });
    const started = await consistent(pool);
    expect(started.counters).toEqual({ available: 1, held: 1, booked: 0, occupied: 0, blocked: 1 });
    expect(started.pool.inventoryVersion).toBe(v0 + 2); // the hold, then the block
    expect(await blockStatus(block.id)).toBe("ACTIVE");
    const unit = await unitByCode(pool, "A-100");
    expect(unit.status).toBe("BLOCKED");
    expect(await startDueBlocks({ now: at(t0, HOUR + 1000) })).toEqual(none);

    const audit = await getDb().auditEntry.findMany({ where: { targetId: block.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorType, a.result])).toEqual([
      ["unit.block_scheduled", "USER", "SUCCESS"],
      ["unit.block_start", "SYSTEM", "SUCCESS"],
    ]);

    expect(await endDueBlocks({ now: at(t0, 3 * HOUR - 1) })).toEqual({ ended: 0, failed: 0 });
    expect(await endDueBlocks({ now: at(t0, 3 * HOUR) })).toEqual({ ended: 1, failed: 0 });
    expect(await endDueBlocks({ now: at(t0, 3 * HOUR) })).toEqual({ ended: 0, failed: 0 });
    const ended = await consistent(pool);
    expect(ended.counters).toEqual({ available: 2, held: 1, booked: 0, occupied: 0, blocked: 0 });
    expect(ended.pool.inventoryVersion).toBe(v0 + 3);
    const row = await getDb().maintenanceBlock.findUniqueOrThrow({ where: { id: block.id } });
    expect(row).toMatchObject({ status: "ENDED", endedByUserId: null, endedAt: at(t0, 3 * HOUR) });
    const unitEvents = await getDb().event.findMany({ where: { aggregateType: "unit", aggregateId: unit.id }, orderBy: { seq: "asc" } });
    expect(unitEvents.map((e) => [e.type, e.aggregateVersion])).toEqual([
      ["unit.blocked", 1],
      ["unit.unblocked", 2],
    ]);
    expect((await createHold(holdInput(pool), partner.actor)).unitCode).toBe("A-100");
    await cancelBooking(held.reference, { reason: "test done" }, partner.actor);
  });

  it("moves a booking that took the unit before the block was scheduled", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const t0 = new Date();
    const held = await createHold(holdInput(pool), partner.actor, { now: t0 });
    await confirmBooking(held.reference, partner.actor, { now: t0 });
    const block = await scheduledBlockRow(pool, held.unitCode, at(t0, 60_000));
    const v0 = (await consistent(pool)).pool.inventoryVersion;

    expect(await startDueBlocks({ now: at(t0, 120_000) })).toEqual({ ...none, moved: 1 });
    const after = await consistent(pool);
    expect(after.pool.inventoryVersion).toBe(v0 + 3);
    expect(after.counters).toEqual({ available: 1, held: 0, booked: 1, occupied: 0, blocked: 1 });
    const booking = await getDb().booking.findUniqueOrThrow({ where: { id: held.id }, include: { unit: true } });
    expect(booking.unit.code).toBe("A-101");
    expect(await blockStatus(block.id)).toBe("ACTIVE");
    const move = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: held.reference, action: "booking.move_unit" } });
    expect(move).toMatchObject({ actorType: "SYSTEM", result: "SUCCESS" });
  });

  it("a hold takes a unit with a scheduled block when it is the last one free; the block's start moves that hold to a unit freed meanwhile", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const t0 = new Date();
    const { block } = await blockUnit(
      { facility_code: pool.facilityCode, unit_code: "A-100", reason: "PEST", starts_at: at(t0, 60_000).toISOString() },
      opsLead.actor,
      { now: t0 },
    );
    const first = await createHold(holdInput(pool), partner.actor, { now: t0 });
    expect(first.unitCode).toBe("A-101");
    // the pool still says 1 available: a hold gets it
    expect((await consistent(pool)).counters.available).toBe(1);
    const last = await createHold(holdInput(pool), partner.actor, { now: t0 });
    expect(last.unitCode).toBe("A-100");
    expect((await consistent(pool)).counters.available).toBe(0);

    await cancelBooking(first.reference, { reason: "customer changed their mind" }, partner.actor, { now: at(t0, 1000) });
    // (within the hold's TTL: a lapsed hold is the expiry job's, not moved)
    expect(await startDueBlocks({ now: at(t0, 60_000) })).toEqual({ ...none, moved: 1 });
    expect(await blockStatus(block.id)).toBe("ACTIVE");
    const booking = await getDb().booking.findUniqueOrThrow({ where: { id: last.id }, include: { unit: true } });
    expect(booking).toMatchObject({ status: "TENTATIVE", unit: { code: "A-101" } });
    expect((await consistent(pool)).counters).toEqual({ available: 0, held: 1, booked: 0, occupied: 0, blocked: 1 });
    // tidy up so later runs in this file do not see it
    await cancelBooking(last.reference, { reason: "test done" }, partner.actor, { now: at(t0, 61_000) });
    await unblockUnit({ block_id: block.id }, opsLead.actor);
  });

  it("leaves a block SCHEDULED with one FAILED audit entry while the booking cannot be moved, and starts it once it can", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const t0 = new Date();
    const a = await createHold(holdInput(pool), partner.actor, { now: t0 });
    const b = await createHold(holdInput(pool), partner.actor, { now: t0 });
    const block = await scheduledBlockRow(pool, a.unitCode, at(t0, 1000));
    const before = await consistent(pool);

    expect(await startDueBlocks({ now: at(t0, 2000) })).toEqual({ ...none, failed: 1 });
    expect(await startDueBlocks({ now: at(t0, 3000) })).toEqual({ ...none, failed: 1 });
    expect(await blockStatus(block.id)).toBe("SCHEDULED");
    expect((await consistent(pool)).pool.inventoryVersion).toBe(before.pool.inventoryVersion);
    const failures = await getDb().auditEntry.findMany({ where: { targetId: block.id } });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ action: "unit.block_start", result: "FAILED", actorType: "SYSTEM" });
    expect(failures[0]!.reason).toContain(a.reference);
    expect(failures[0]!.metadata).toMatchObject({ code: "INVENTORY_UNAVAILABLE", booking_reference: a.reference });

    await cancelBooking(b.reference, { reason: "customer changed their mind" }, partner.actor, { now: at(t0, 4000) });
    expect(await startDueBlocks({ now: at(t0, 5000) })).toEqual({ ...none, moved: 1 });
    expect(await blockStatus(block.id)).toBe("ACTIVE");
    const after = await consistent(pool);
    expect(after.counters).toEqual({ available: 0, held: 1, booked: 0, occupied: 0, blocked: 1 });
  });

  // An overlock or lock fault keeps the tenant instead (site-operations.int.test.ts).
  it("never starts a damage block on an occupied unit (FAILED, naming the booking)", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const t0 = new Date();
    const held = await createHold(holdInput(pool), partner.actor, { now: t0 });
    await confirmBooking(held.reference, partner.actor, { now: t0 });
    await fulfilBooking(held.reference, partner.actor, { now: t0 });
    const block = await scheduledBlockRow(pool, held.unitCode, at(t0, 1000), null, "DAMAGE");
    expect(await startDueBlocks({ now: at(t0, 2000) })).toEqual({ ...none, failed: 1 });
    expect(await blockStatus(block.id)).toBe("SCHEDULED");
    const failure = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: block.id } });
    expect(failure.metadata).toMatchObject({ code: "CONFLICT", booking_reference: held.reference, booking_status: "fulfilled" });
    await consistent(pool);
    // tidy up so later runs in this file do not keep failing on it
    await unblockUnit({ block_id: block.id }, opsLead.actor);
  });

  it("closes a scheduled block whose whole window passed before it could start, without touching the pool", async () => {
    const pool = await createFacilityWithPool({ units: 1 });
    const t0 = new Date();
    const block = await scheduledBlockRow(pool, "A-100", at(t0, HOUR), at(t0, 2 * HOUR));
    expect(await startDueBlocks({ now: at(t0, 3 * HOUR) })).toEqual({ ...none, lapsed: 1 });
    const row = await getDb().maintenanceBlock.findUniqueOrThrow({ where: { id: block.id } });
    expect(row).toMatchObject({ status: "ENDED", startedAt: null });
    const state = await consistent(pool);
    expect(state.pool.inventoryVersion).toBe(0);
  });

  it("hands a unit from a block that is due to end straight to the next one, whichever runner goes first", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const t0 = new Date();
    const first = await blockUnit(
      { facility_code: pool.facilityCode, unit_code: "A-100", reason: "DAMAGE", ends_at: at(t0, HOUR).toISOString() },
      opsLead.actor,
      { now: t0 },
    );
    const second = await blockUnit(
      {
        facility_code: pool.facilityCode,
        unit_code: "A-100",
        reason: "CLEANING",
        starts_at: at(t0, HOUR).toISOString(),
        ends_at: at(t0, 2 * HOUR).toISOString(),
      },
      opsLead.actor,
      { now: t0 },
    );
    expect(second.block.status).toBe("SCHEDULED");
    const v0 = (await consistent(pool)).pool.inventoryVersion;

    expect(await startDueBlocks({ now: at(t0, HOUR) })).toEqual({ ...none, started: 1 });
    expect(await endDueBlocks({ now: at(t0, HOUR) })).toEqual({ ended: 0, failed: 0 });
    expect(await blockStatus(first.block.id)).toBe("ENDED");
    expect(await blockStatus(second.block.id)).toBe("ACTIVE");
    const state = await consistent(pool);
    expect(state.pool.inventoryVersion).toBe(v0 + 2);
    expect(state.counters.blocked).toBe(1);
    const unit = await unitByCode(pool, "A-100");
    const unitEvents = await getDb().event.findMany({ where: { aggregateType: "unit", aggregateId: unit.id }, orderBy: { seq: "asc" } });
    expect(unitEvents.map((e) => [e.type, e.aggregateVersion])).toEqual([
      ["unit.blocked", 1],
      ["unit.unblocked", 2],
      ["unit.blocked", 3],
    ]);
    expect(await endDueBlocks({ now: at(t0, 2 * HOUR) })).toEqual({ ended: 1, failed: 0 });
    await consistent(pool);
  });
});

describe("a block past its end that the job has not ended yet", () => {
  it("does not stand in the way of a new block now: it is ended first, then the new one starts", async () => {
    const pool = await createFacilityWithPool({ units: 1 });
    const t0 = new Date();
    const old = await blockUnit(
      { facility_code: pool.facilityCode, unit_code: "A-100", reason: "DAMAGE", ends_at: at(t0, HOUR).toISOString() },
      opsLead.actor,
      { now: t0 },
    );
    const v0 = (await consistent(pool)).pool.inventoryVersion;
    const fresh = await blockUnit({ facility_code: pool.facilityCode, unit_code: "A-100", reason: "PEST" }, opsLead.actor, {
      now: at(t0, 2 * HOUR),
    });
    expect(fresh.block.status).toBe("ACTIVE");
    expect(fresh.inventoryVersion).toBe(v0 + 2);
    expect(await getDb().maintenanceBlock.findUniqueOrThrow({ where: { id: old.block.id } })).toMatchObject({
      status: "ENDED",
      endedAt: at(t0, 2 * HOUR),
      endedByUserId: null,
    });
    expect((await consistent(pool)).counters.blocked).toBe(1);
    expect(await endDueBlocks({ now: at(t0, 2 * HOUR) })).toEqual({ ended: 0, failed: 0 });
    await unblockUnit({ block_id: fresh.block.id }, opsLead.actor);
    await consistent(pool);
  });
});

describe("scheduled blocks under concurrency", () => {
  it("four runners at once start each due block exactly once, while 20 holds race them on the same pool", async () => {
    const pool = await createFacilityWithPool({ units: 24 });
    const t0 = new Date();
    const blocks = [];
    for (let i = 0; i < 10; i++) blocks.push(await scheduledBlockRow(pool, `A-${100 + 2 * i}`, at(t0, 1000), at(t0, HOUR)));
    const v0 = (await consistent(pool)).pool.inventoryVersion;

    const holds = Array.from({ length: 20 }, () =>
      // a hold that waits on a block runner's lock is answered retryable; it retries, as a partner does
      retryAsPartner(() => createHold(holdInput(pool), partner.actor, { now: at(t0, 1500) })).then(
        () => "ok",
        (error: { code?: string }) => error.code ?? String(error),
      ),
    );
    const runs = Array.from({ length: 4 }, () => startDueBlocks({ now: at(t0, 2000) }));
    const [holdOutcomes, runResults] = await Promise.all([Promise.all(holds), Promise.all(runs)]);
    expect(holdOutcomes.filter((o) => o !== "ok" && o !== "INVENTORY_UNAVAILABLE")).toEqual([]);
    // Units with a scheduled block count as available, so holds take them too (last): 20
    // holds and 10 blocks compete for 24 units. A block whose unit a hold took moves that
    // hold to a free unit, or, with none left, stays SCHEDULED (FAILED, tried again later).
    const heldOk = holdOutcomes.filter((o) => o === "ok").length;
    const active = (await Promise.all(blocks.map((b) => blockStatus(b.id)))).filter((s) => s === "ACTIVE").length;
    expect(heldOk).toBeGreaterThanOrEqual(14);
    const total = runResults.reduce((sum, r) => sum + r.started + r.moved, 0);
    const moved = runResults.reduce((sum, r) => sum + r.moved, 0);
    // each block started exactly once, whichever runner took it
    expect(total).toBe(active);
    const state = await consistent(pool);
    // nothing left advertised: every unit is held or blocked
    expect(state.counters).toEqual({ available: 0, held: heldOk, booked: 0, occupied: 0, blocked: active });
    expect(heldOk + active).toBe(24);
    // one version per hold and per block start, two more per hold moved off a blocked unit
    expect(state.pool.inventoryVersion).toBe(v0 + heldOk + active + 2 * moved);
    const blockedEvents = await getDb().event.count({ where: { type: "unit.blocked", facilityId: pool.facilityId } });
    expect(blockedEvents).toBe(active);
    // a block that did not start is still SCHEDULED on a unit a hold stands on
    for (const block of blocks) {
      if ((await blockStatus(block.id)) === "ACTIVE") continue;
      expect(await blockStatus(block.id)).toBe("SCHEDULED");
      expect((await getDb().unit.findUniqueOrThrow({ where: { id: block.unitId } })).status).toBe("HELD");
    }

    const ends = await Promise.all(Array.from({ length: 4 }, () => endDueBlocks({ now: at(t0, HOUR) })));
    expect(ends.reduce((sum, r) => sum + r.ended, 0)).toBe(active);
    const ended = await consistent(pool);
    expect(ended.counters).toEqual({ available: active, held: heldOk, booked: 0, occupied: 0, blocked: 0 });
    for (const block of blocks) {
      if ((await blockStatus(block.id)) === "SCHEDULED") await getDb().maintenanceBlock.update({ where: { id: block.id }, data: { status: "CANCELLED" } });
    }
    for (const block of blocks) expect(["ENDED", "CANCELLED"]).toContain(await blockStatus(block.id));
  });
});
