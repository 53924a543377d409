import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../db";
import { addUnitType, createFacilityWithPool, type TestPool } from "../../../test/factories";
import { callerFor, codeOf, sessionUser } from "../../../test/trpc-caller";

afterAll(disconnectDb);

let own: TestPool;
let other: TestPool;

beforeAll(async () => {
  own = await createFacilityWithPool({ units: 4 });
  await addUnitType(own.facilityId, "5X5", 2);
  other = await createFacilityWithPool({ units: 3, timezone: "America/New_York" });
  // one unit of `own` blocked, so counters are not all "available"
  await getDb().$transaction([
    getDb().unit.update({ where: { id: own.unitIds[0]! }, data: { status: "BLOCKED" } }),
    getDb().inventoryPool.update({
      where: { id: own.poolId },
      data: { available: { decrement: 1 }, blocked: { increment: 1 }, inventoryVersion: { increment: 1 } },
    }),
  ]);
});

describe("inventory router", () => {
  it("refuses a caller with no session: UNAUTHORIZED", async () => {
    expect(await codeOf(callerFor(null).inventory.facilities())).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(null).inventory.facility({ facilityCode: own.facilityCode }))).toBe("UNAUTHORIZED");
  });

  it("shows a site manager only their own facility", async () => {
    const manager = await sessionUser({ role: "SITE_MANAGER", facilityIds: [own.facilityId] });

    const overview = await callerFor(manager).inventory.facilities();

    expect(overview.facilities.map((f) => f.code)).toEqual([own.facilityCode]);
    const facility = overview.facilities[0]!;
    expect(facility).toMatchObject({ timezone: "Europe/London", country: "GB", currency: "GBP" });
    // smallest unit type first
    expect(facility.pools.map((p) => p.unitTypeCode)).toEqual(["5X5", own.unitTypeCode]);
    expect(facility.pools[1]).toMatchObject({
      total: 4,
      available: 3,
      held: 0,
      booked: 0,
      occupied: 0,
      blocked: 1,
      inventoryVersion: 1,
      widthFt: 10,
      depthFt: 10,
      areaSqFt: 100,
      climateControlled: false,
      monthlyRateCents: 12_900,
    });
    expect(facility.totals).toEqual({ total: 6, available: 5, held: 0, booked: 0, occupied: 0, blocked: 1 });
  });

  it("answers NOT_FOUND when a site manager asks for another facility", async () => {
    const manager = await sessionUser({ role: "SITE_MANAGER", facilityIds: [own.facilityId] });
    const caller = callerFor(manager);

    expect(await codeOf(caller.inventory.facility({ facilityCode: other.facilityCode }))).toBe("NOT_FOUND");
    expect((await caller.inventory.facility({ facilityCode: own.facilityCode.toLowerCase() })).code).toBe(own.facilityCode);
  });

  it("shows a site manager with no facilities nothing", async () => {
    const manager = await sessionUser({ role: "SITE_MANAGER" });
    expect((await callerFor(manager).inventory.facilities()).facilities).toEqual([]);
    expect(await codeOf(callerFor(manager).inventory.facility({ facilityCode: own.facilityCode }))).toBe("NOT_FOUND");
  });

  it("shows support every facility", async () => {
    const support = await sessionUser({ role: "SUPPORT", facilityIds: [own.facilityId] });
    const codes = (await callerFor(support).inventory.facilities()).facilities.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining([own.facilityCode, other.facilityCode]));
    expect(await codeOf(callerFor(support).inventory.facility({ facilityCode: other.facilityCode }))).toBe("OK");
  });

  it("answers NOT_FOUND for a facility that does not exist, and BAD_REQUEST for a malformed code", async () => {
    const admin = await sessionUser({ role: "ADMIN" });
    expect(await codeOf(callerFor(admin).inventory.facility({ facilityCode: "NOPE-99" }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(admin).inventory.facility({ facilityCode: "../etc" }))).toBe("BAD_REQUEST");
  });
});
