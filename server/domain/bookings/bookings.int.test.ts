import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../db";
import { createFacilityWithPool, createPartner, holdInput, poolState, type TestPartner, type TestPool, refusalOf } from "../../../test/factories";
import { cancelBooking } from "./cancel-booking";
import { confirmBooking } from "./confirm-booking";
import { createHold } from "./create-hold";
import { expireHolds } from "./expire-holds";
import { fulfilBooking } from "./fulfil-booking";
import { getBooking } from "./get-booking";

let pool: TestPool;
let partner: TestPartner;

beforeAll(async () => {
  pool = await createFacilityWithPool({ units: 4 });
  partner = await createPartner();
});
afterAll(disconnectDb);

async function expectInvariant() {
  const state = await poolState(pool.poolId);
  expect(state.counters).toEqual(state.actual);
  return state;
}


describe("booking lifecycle through the domain services", () => {
  it("hold → confirm → fulfil → cancel moves the unit and the counters together, with events and audit", async () => {
    const before = await expectInvariant();
    const held = await createHold(holdInput(pool), partner.actor);
    expect(held.status).toBe("TENTATIVE");
    expect(held.reference).toMatch(/^BK-[2-9A-Z]{6}$/);
    expect(held.inventoryVersion).toBe(before.pool.inventoryVersion + 1);
    let state = await expectInvariant();
    expect(state.counters.held).toBe(before.counters.held + 1);

    const confirmed = await confirmBooking(held.reference, partner.actor);
    expect(confirmed.status).toBe("CONFIRMED");
    expect(confirmed.version).toBe(2);
    state = await expectInvariant();
    expect(state.counters.booked).toBe(before.counters.booked + 1);

    const again = await confirmBooking(held.reference, partner.actor);
    expect(again.version).toBe(2); // no-op

    const fulfilled = await fulfilBooking(held.reference, partner.actor);
    expect(fulfilled.status).toBe("FULFILLED");
    const grants = await getDb().accessGrant.findMany({ where: { bookingId: held.id } });
    expect(grants).toHaveLength(1);
    expect(grants[0]!.status).toBe("ACTIVE");
    expect(grants[0]!.codeCiphertext).not.toMatch(/^\d{6}$/);

    const cancelled = await cancelBooking(held.reference, { reason: "Moved out" }, partner.actor);
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.cancelReason).toBe("Moved out");
    expect((await getDb().accessGrant.findFirstOrThrow({ where: { bookingId: held.id } })).status).toBe("REVOKED");
    state = await expectInvariant();
    expect(state.counters.available).toBe(before.counters.available);
    expect(state.pool.inventoryVersion).toBe(before.pool.inventoryVersion + 4);

    const events = await getDb().event.findMany({ where: { bookingId: held.id }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.type)).toEqual([
      "inventory.updated",
      "booking.held",
      "inventory.updated",
      "booking.confirmed",
      "inventory.updated",
      "booking.fulfilled",
      "access.granted",
      "inventory.updated",
      "booking.cancelled",
      "access.revoked",
    ]);
    const bookingEvents = events.filter((e) => e.aggregateType === "booking" && e.type.startsWith("booking."));
    expect(bookingEvents.map((e) => e.aggregateVersion)).toEqual([1, 2, 3, 4]);
    const poolVersions = events.filter((e) => e.type === "inventory.updated").map((e) => e.aggregateVersion);
    expect(poolVersions).toEqual([1, 2, 3, 4].map((n) => before.pool.inventoryVersion + n));
    const audit = await getDb().auditEntry.findMany({ where: { targetId: held.reference }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["booking.hold", "booking.confirm", "booking.fulfil", "booking.cancel"]);
    expect(audit.filter((a) => !a.correlationId || a.actorLabel !== partner.code)).toEqual([]);

    // repeats are no-ops
    expect((await cancelBooking(held.reference, { reason: "again" }, partner.actor)).version).toBe(cancelled.version);
  });

  it("parses its own input: createHold and cancelBooking called without a transport refuse bad input with field errors, changing nothing", async () => {
    const before = await expectInvariant();
    // this pool's bookings: other test files create bookings on the shared database meanwhile
    const poolBookings = () => getDb().booking.count({ where: { unitId: { in: pool.unitIds } } });
    const bookingsBefore = await poolBookings();
    const badHold = await refusalOf(createHold({ ...holdInput(pool), customer: { name: " ", email: "not-an-email" } }, partner.actor));
    expect(badHold.code).toBe("VALIDATION_FAILED");
    expect((badHold.fieldErrors ?? []).map((f) => f.path).sort()).toEqual(["customer.email", "customer.name"]);
    expect(await poolBookings()).toBe(bookingsBefore);

    const held = await createHold(holdInput(pool), partner.actor);
    const badCancel = await refusalOf(cancelBooking(held.reference, { reason: "   " }, partner.actor));
    expect(badCancel.code).toBe("VALIDATION_FAILED");
    expect((badCancel.fieldErrors ?? []).map((f) => f.path)).toEqual(["reason"]);
    expect((await getBooking(held.reference, partner.actor)).status).toBe("TENTATIVE");
    await cancelBooking(held.reference, { reason: "clean up" }, partner.actor);
    expect((await expectInvariant()).counters).toEqual(before.counters);
  });

  it("refuses illegal moves with INVALID_TRANSITION naming the state and allowed actions, changing nothing", async () => {
    const held = await createHold(holdInput(pool), partner.actor);
    const before = await poolState(pool.poolId);
    const error = await refusalOf(fulfilBooking(held.reference, partner.actor));
    expect(error.code).toBe("INVALID_TRANSITION");
    expect(error.context).toMatchObject({ current_status: "tentative", allowed_actions: ["confirm", "cancel"] });
    expect((await poolState(pool.poolId)).pool.inventoryVersion).toBe(before.pool.inventoryVersion);
    await cancelBooking(held.reference, { reason: "test done" }, partner.actor);
  });

  it("answers HOLD_EXPIRED after the TTL, reads it as expired, and the job releases the unit once", async () => {
    const t0 = new Date();
    const held = await createHold(holdInput(pool, { hold_ttl_seconds: 60 }), partner.actor, { now: t0 });
    const later = new Date(t0.getTime() + 61_000);
    const error = await refusalOf(confirmBooking(held.reference, partner.actor, { now: later }));
    expect(error.code).toBe("HOLD_EXPIRED");
    expect(error.context.current_status).toBe("expired");
    expect((await getBooking(held.reference, partner.actor, later)).status).toBe("EXPIRED");
    // cancel of an expired hold is a no-op
    expect((await cancelBooking(held.reference, { reason: "late" }, partner.actor, { now: later })).status).toBe("EXPIRED");

    const before = await poolState(pool.poolId);
    let expired = 0;
    for (let n = await expireHolds({ now: later }); n > 0; n = await expireHolds({ now: later })) expired += n;
    expect(expired).toBeGreaterThanOrEqual(1);
    const after = await expectInvariant();
    // expireHolds sweeps the whole (shared) database; this pool had this one hold
    expect(after.counters.held).toBe(before.counters.held - 1);
    const row = await getDb().booking.findUniqueOrThrow({ where: { id: held.id } });
    expect(row.status).toBe("EXPIRED");
    expect(await getDb().event.count({ where: { bookingId: held.id, type: "booking.expired" } })).toBe(1);
    expect(await expireHolds({ now: later })).toBe(0);
  });

  it("hides other partners' bookings and other facilities", async () => {
    const held = await createHold(holdInput(pool), partner.actor);
    const other = await createPartner();
    expect((await refusalOf(getBooking(held.reference, other.actor))).code).toBe("NOT_FOUND");
    expect((await refusalOf(cancelBooking(held.reference, { reason: "x" }, other.actor))).code).toBe("NOT_FOUND");
    const limited = await createPartner({ facilityIds: ["00000000-0000-0000-0000-000000000001"] });
    expect((await refusalOf(createHold(holdInput(pool), limited.actor))).code).toBe("NOT_FOUND");
    await cancelBooking(held.reference, { reason: "test done" }, partner.actor);
  });

  it("refuses a stale If-Match version with VERSION_CONFLICT and changes nothing", async () => {
    const before = await poolState(pool.poolId);
    const error = await refusalOf(
      createHold(holdInput(pool), partner.actor, { expectedInventoryVersion: before.pool.inventoryVersion - 1 }),
    );
    expect(error.code).toBe("VERSION_CONFLICT");
    expect(error.context.current_inventory_version).toBe(before.pool.inventoryVersion);
    expect((await poolState(pool.poolId)).pool.inventoryVersion).toBe(before.pool.inventoryVersion);
    const ok = await createHold(holdInput(pool), partner.actor, { expectedInventoryVersion: before.pool.inventoryVersion });
    expect(ok.inventoryVersion).toBe(before.pool.inventoryVersion + 1);
    await cancelBooking(ok.reference, { reason: "test done" }, partner.actor);
  });

  it("refuses a move-in date in the past at the facility", async () => {
    const error = await refusalOf(createHold(holdInput(pool, { move_in_date: "2020-01-01" }), partner.actor));
    expect(error.code).toBe("VALIDATION_FAILED");
  });

  it("answers INVENTORY_UNAVAILABLE when the pool is full", async () => {
    const small = await createFacilityWithPool({ units: 1 });
    await createHold(holdInput(small), partner.actor);
    expect((await refusalOf(createHold(holdInput(small), partner.actor))).code).toBe("INVENTORY_UNAVAILABLE");
  });
});
