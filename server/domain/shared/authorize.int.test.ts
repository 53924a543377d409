import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolState,
  type TestPartner,
  type TestPool,
} from "../../../test/factories";
import { disconnectDb, getDb } from "../../db";
import { cancelBooking } from "../bookings/cancel-booking";
import { createHold } from "../bookings/create-hold";
import { blockUnit } from "../inventory/block-unit";
import { DomainError } from "./errors";

/**
 * authorize() is the one check inside the domain, and the denied attempt is audited there:
 * these tests call the services directly, with no transport (no server action, tRPC or
 * partner route) that could audit for them.
 */

let pool: TestPool;
let other: TestPool;
let partner: TestPartner;

beforeAll(async () => {
  pool = await createFacilityWithPool({ units: 3 });
  other = await createFacilityWithPool({ units: 3 });
  partner = await createPartner();
});
afterAll(disconnectDb);

async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const auditOf = (correlationId: string) =>
  getDb().auditEntry.findMany({ where: { correlationId }, select: { action: true, result: true, targetType: true, targetId: true } });

describe("authorize() inside the domain", () => {
  it("a role without the capability is FORBIDDEN at the service, audited DENIED, nothing changed", async () => {
    const support = await createConsoleUser({ role: "SUPPORT" });
    const before = await poolState(pool.poolId);
    const error = await refusalOf(blockUnit({ facility_code: pool.facilityCode, unit_code: "A-100", reason: "DAMAGE" }, support.actor));
    expect(error.code).toBe("FORBIDDEN");
    expect(await auditOf(support.actor.correlationId)).toEqual([
      { action: "unit.block", result: "DENIED", targetType: "permission", targetId: "unit.block" },
    ]);
    expect((await poolState(pool.poolId)).counters).toEqual(before.counters);
  });

  it("an API key without the scope is FORBIDDEN at the service and audited, though no route checked first", async () => {
    const held = await createHold(holdInput(pool), partner.actor);
    const readOnly = { ...partner.actor, scopes: ["bookings:read" as const], correlationId: `cor_test_${crypto.randomUUID()}` };
    const error = await refusalOf(cancelBooking(held.reference, { reason: "changed plans" }, readOnly));
    expect(error.code).toBe("FORBIDDEN");
    expect(await auditOf(readOnly.correlationId)).toEqual([
      { action: "booking.cancel", result: "DENIED", targetType: "permission", targetId: "booking.cancel" },
    ]);
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference: held.reference } });
    expect(booking.status).toBe("TENTATIVE");
  });

  it("a site manager's cancel at another facility never locks the row: NOT_FOUND at once, not after waiting for another transaction's lock", async () => {
    const held = await createHold(holdInput(other), partner.actor);
    const manager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] });
    // Another transaction holds the booking's row lock: a lock query without the scope in
    // its WHERE would wait for it; with the scope it never touches the row.
    const db = getDb();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holder = db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM bookings WHERE reference = ${held.reference} FOR UPDATE`;
      await released;
    }, { timeout: 30_000 });
    try {
      const started = Date.now();
      const error = await refusalOf(cancelBooking(held.reference, { reason: "not mine" }, manager.actor));
      expect(error.code).toBe("NOT_FOUND");
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      release();
      await holder;
    }
  });
});
