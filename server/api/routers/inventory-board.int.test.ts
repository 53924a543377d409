import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUnitType, createConsoleUser, createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../../../test/factories";
import { createUser } from "../../../test/user-factory";
import { disconnectDb, getDb } from "../../db";
import { cancelBooking } from "../../domain/bookings/cancel-booking";
import { confirmBooking } from "../../domain/bookings/confirm-booking";
import { createHold } from "../../domain/bookings/create-hold";
import { blockUnit } from "../../domain/inventory/block-unit";
import { loadSessionUser, type SessionUser } from "../../domain/users/load-session-user";
import { callerFor, codeOf } from "../../../test/trpc-caller";

afterAll(disconnectDb);

async function sessionUser(options: Parameters<typeof createUser>[0]): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser(options)).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

let own: TestPool;
let other: TestPool;
let partner: TestPartner;
let manager: SessionUser;
let support: SessionUser;
/** held (live), A-101: booked, A-102: blocked, A-103: a scheduled block; A-104…: free. */
let heldRef: string;
let bookedRef: string;
let cancelledRef: string;
let expiredRef: string;

beforeAll(async () => {
  own = await createFacilityWithPool({ units: 8 });
  await addUnitType(own.facilityId, "5X5", 3);
  other = await createFacilityWithPool({ units: 3, timezone: "America/New_York" });
  partner = await createPartner();
  manager = await sessionUser({ role: "SITE_MANAGER", facilityIds: [own.facilityId] });
  support = await sessionUser({ role: "SUPPORT" });
  const ops = await createConsoleUser({ role: "OPS_LEAD" });

  // Holds take the first free unit in code order (A-100 …).
  const cancelled = await createHold(holdInput(own), partner.actor, { idempotencyKey: "idem-cancelled" });
  cancelledRef = cancelled.reference;
  await cancelBooking(cancelled.reference, { reason: "customer changed their mind" }, partner.actor);
  const held = await createHold(holdInput(own), partner.actor, { idempotencyKey: "idem-held-1" });
  heldRef = held.reference;
  const booked = await createHold(holdInput(own), partner.actor);
  bookedRef = booked.reference;
  await confirmBooking(booked.reference, partner.actor);
  // A hold whose TTL passed (taken on a clock 20 minutes ago with the default 15-minute TTL).
  const expired = await createHold(holdInput(own), partner.actor, { now: new Date(Date.now() - 20 * 60_000) });
  expiredRef = expired.reference;
  const free = await getDb().unit.findMany({ where: { poolId: own.poolId, status: "AVAILABLE" }, orderBy: { code: "asc" }, select: { code: true } });
  await blockUnit({ facility_code: own.facilityCode, unit_code: free[0]!.code, reason: "DAMAGE", note: "door bent" }, ops.actor);
  await blockUnit(
    { facility_code: own.facilityCode, unit_code: free[1]!.code, reason: "CLEANING", starts_at: new Date(Date.now() + 3_600_000).toISOString() },
    ops.actor,
  );
  // One hold at the other facility, which the manager must never see.
  await createHold(holdInput(other), partner.actor);
});

describe("inventory.board", () => {
  it("shows the facility's units with their booking and blocks, and the pools' counters", async () => {
    const board = await callerFor(manager).inventory.board({ facilityCode: own.facilityCode });

    expect(board.facilityId).toBe(own.facilityId);
    expect(board.unfilteredCount).toBe(11);
    expect(board.units).toHaveLength(11);
    const pool = board.facility.pools.find((p) => p.unitTypeCode === own.unitTypeCode)!;
    expect(pool).toMatchObject({ total: 8, held: 2, booked: 1, blocked: 1, available: 4 });
    const byStatus = (status: string) => board.units.filter((u) => u.status === status);
    expect(byStatus("HELD").map((u) => u.booking?.reference).sort()).toEqual([heldRef, expiredRef].sort());
    // the hold past its TTL reads as expired even before the job releases it
    expect(board.units.find((u) => u.booking?.reference === expiredRef)!.booking!.status).toBe("EXPIRED");
    expect(byStatus("BOOKED")[0]!.booking).toMatchObject({ reference: bookedRef, status: "CONFIRMED", partnerCode: partner.code });
    const blocked = byStatus("BLOCKED")[0]!;
    expect(blocked.blocks).toEqual([expect.objectContaining({ status: "ACTIVE", reason: "DAMAGE", note: "door bent" })]);
    const scheduled = board.units.find((u) => u.blocks.some((b) => b.status === "SCHEDULED"))!;
    expect(scheduled.status).toBe("AVAILABLE");
    // units in the order staff walk them: 5X5-0 … then A-100 …
    expect(board.units.map((u) => u.code)).toEqual([...board.units.map((u) => u.code)].sort((a, b) => a.localeCompare(b, "en", { numeric: true })));
  });

  it("filters by unit type and status (counters stay the facility's)", async () => {
    const caller = callerFor(manager);
    const small = await caller.inventory.board({ facilityCode: own.facilityCode, unitType: "5x5" });
    expect(small.units.map((u) => u.code)).toEqual(["5X5-0", "5X5-1", "5X5-2"]);
    expect(small.facility.pools).toHaveLength(2);

    const heldOrBlocked = await caller.inventory.board({ facilityCode: own.facilityCode, status: ["HELD", "BLOCKED"] });
    expect(heldOrBlocked.units.map((u) => u.status).sort()).toEqual(["BLOCKED", "HELD", "HELD"]);
    expect(heldOrBlocked.unfilteredCount).toBe(11);

    const none = await caller.inventory.board({ facilityCode: own.facilityCode, unitType: "5X5", status: ["BLOCKED"] });
    expect(none.units).toEqual([]);
  });

  it("refuses malformed filters with BAD_REQUEST", async () => {
    const caller = callerFor(manager);
    expect(await codeOf(caller.inventory.board({ facilityCode: own.facilityCode, status: ["GONE" as never] }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.inventory.board({ facilityCode: own.facilityCode, unitType: "../x" }))).toBe("BAD_REQUEST");
  });

  it("is NOT_FOUND for a site manager at another facility, everywhere", async () => {
    const caller = callerFor(manager);
    expect(await codeOf(caller.inventory.board({ facilityCode: other.facilityCode }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.inventory.holds({ facilityCode: other.facilityCode }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.inventory.unit({ facilityCode: other.facilityCode, unitCode: "A-100" }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.inventory.blocks({ facility_code: other.facilityCode }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(null).inventory.board({ facilityCode: own.facilityCode }))).toBe("UNAUTHORIZED");
    // support sees every facility
    expect(await codeOf(callerFor(support).inventory.board({ facilityCode: other.facilityCode }))).toBe("OK");
  });
});

describe("inventory.holds", () => {
  it("lists only live, unexpired holds, soonest expiry first, with partner, idempotency key and version", async () => {
    const holds = await callerFor(manager).inventory.holds({ facilityCode: own.facilityCode });

    expect(holds.facilityTimezone).toBe("Europe/London");
    expect(holds.holds.map((h) => h.reference)).toEqual([heldRef]);
    const [hold] = holds.holds;
    expect(hold).toMatchObject({
      partnerCode: partner.code,
      idempotencyKey: "idem-held-1",
      unitTypeCode: own.unitTypeCode,
      customerName: "Ada Lovelace",
    });
    expect(hold!.inventoryVersion).toBeGreaterThan(0);
    expect(hold!.holdExpiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(holds.holds.filter((h) => h.reference === cancelledRef || h.reference === expiredRef || h.reference === bookedRef)).toEqual([]);
  });

  it("filters by unit type", async () => {
    const holds = await callerFor(support).inventory.holds({ facilityCode: own.facilityCode, unitType: "5X5" });
    expect(holds.holds).toEqual([]);
  });
});

describe("inventory.unit", () => {
  it("shows a unit's bookings, blocks and the events that touched it", async () => {
    const caller = callerFor(manager);
    const board = await caller.inventory.board({ facilityCode: own.facilityCode });
    const cancelledUnit = (await getDb().booking.findUniqueOrThrow({ where: { reference: cancelledRef }, select: { unit: { select: { code: true } } } })).unit.code;

    const history = await caller.inventory.unit({ facilityCode: own.facilityCode, unitCode: cancelledUnit });
    expect(history.unit.code).toBe(cancelledUnit);
    expect(history.bookings.map((b) => b.reference)).toContain(cancelledRef);
    const cancelled = history.bookings.find((b) => b.reference === cancelledRef)!;
    expect(cancelled).toMatchObject({ status: "CANCELLED", live: false, cancelReason: "customer changed their mind", idempotencyKey: "idem-cancelled" });
    const types = history.events.filter((e) => e.bookingReference === cancelledRef).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["booking.held", "booking.cancelled", "inventory.updated"]));
    expect(history.events.find((e) => e.type === "booking.cancelled")!.summary).toContain("customer changed their mind");

    const blockedCode = board.units.find((u) => u.status === "BLOCKED")!.code;
    const blocked = await caller.inventory.unit({ facilityCode: own.facilityCode, unitCode: blockedCode });
    expect(blocked.blocks).toEqual([expect.objectContaining({ status: "ACTIVE", reason: "DAMAGE" })]);
    expect(blocked.events.map((e) => e.type)).toContain("unit.blocked");
    expect(blocked.currentBooking).toBeNull();

    const bookedCode = board.units.find((u) => u.status === "BOOKED")!.code;
    expect((await caller.inventory.unit({ facilityCode: own.facilityCode, unitCode: bookedCode })).currentBooking?.reference).toBe(bookedRef);
  });

  it("is NOT_FOUND for a unit that does not exist", async () => {
    expect(await codeOf(callerFor(manager).inventory.unit({ facilityCode: own.facilityCode, unitCode: "Z-999" }))).toBe("NOT_FOUND");
  });
});
