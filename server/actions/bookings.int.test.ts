import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, poolState, type TestPartner, type TestPool } from "../../test/factories";
import { createUser } from "../../test/user-factory";
import type { RequestMeta } from "../auth/request-meta";
import { disconnectDb, getDb } from "../db";
import { actorForUser } from "../domain/shared/actor";
import { getBookingTimeline } from "../domain/bookings/booking-timeline";
import { confirmBooking } from "../domain/bookings/confirm-booking";
import { createHold } from "../domain/bookings/create-hold";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { cancelBookingAction, fulfilBookingAction } from "./bookings";

/**
 * The booking screen's server actions against real PostgreSQL: each refuses what the
 * caller may not do (audited as DENIED, nothing changed), validates its input, and on
 * success leaves the event and the audit entry of the change. Cancel is idempotent.
 */

afterAll(disconnectDb);

function meta(correlationId = `cor_action_${crypto.randomUUID()}`): RequestMeta {
  return { ip: "10.1.2.3", userAgent: "vitest", correlationId };
}

async function sessionUser(role: SessionUser["role"], facilityIds: string[] = []): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser({ role, facilityIds })).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

/** What a refused action must leave untouched. */
async function stateOf(reference: string, poolId: string) {
  const db = getDb();
  const booking = await db.booking.findUniqueOrThrow({ where: { reference }, select: { id: true, status: true, version: true, unitId: true } });
  const [events, audits, grants, pool] = await Promise.all([
    db.event.count({ where: { bookingId: booking.id } }),
    // SUCCESS only: a refusal is audited (DENIED / FAILED) but changes nothing.
    db.auditEntry.count({ where: { targetType: "booking", targetId: reference, result: "SUCCESS" } }),
    db.accessGrant.count({ where: { bookingId: booking.id } }),
    poolState(poolId),
  ]);
  return { booking, events, audits, grants, counters: pool.counters, version: pool.pool.inventoryVersion };
}

const auditsOf = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" } });

let lon: TestPool;
let nyc: TestPool;
let partner: TestPartner;
let support: SessionUser;
let manager: SessionUser;
let ops: SessionUser;

beforeAll(async () => {
  lon = await createFacilityWithPool({ units: 10 });
  nyc = await createFacilityWithPool({ units: 4, timezone: "America/New_York" });
  partner = await createPartner();
  [support, manager, ops] = await Promise.all([sessionUser("SUPPORT"), sessionUser("SITE_MANAGER", [lon.facilityId]), sessionUser("OPS_LEAD")]);
});

async function confirmed(pool: TestPool): Promise<string> {
  const held = await createHold(holdInput(pool), partner.actor);
  await confirmBooking(held.reference, partner.actor);
  return held.reference;
}

describe("cancelBookingAction", () => {
  it("cancels with the reason: booking.cancelled event and an audit entry naming the user, in one change", async () => {
    const reference = await confirmed(lon);
    const request = meta();

    const result = await cancelBookingAction.withRequest({ user: support, meta: request })({ reference: reference.toLowerCase(), reason: "  Customer called to cancel  " });

    expect(result).toEqual({ ok: true, data: { reference, status: "CANCELLED", alreadyDone: false } });
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference } });
    expect(booking).toMatchObject({ status: "CANCELLED", cancelReason: "Customer called to cancel", cancelledBy: support.email });
    const event = await getDb().event.findFirstOrThrow({ where: { bookingId: booking.id, type: "booking.cancelled" } });
    expect(event.correlationId).toBe(request.correlationId);
    expect(event.data).toMatchObject({ cancel_reason: "Customer called to cancel", cancelled_by: "operator" });
    expect(await auditsOf(request.correlationId)).toMatchObject([
      {
        action: "booking.cancel",
        result: "SUCCESS",
        actorType: "USER",
        actorId: support.id,
        actorLabel: support.email,
        targetType: "booking",
        targetId: reference,
        facilityId: lon.facilityId,
        reason: "Customer called to cancel",
        ip: "10.1.2.3",
      },
    ]);
    expect((await poolState(lon.poolId)).counters).toEqual((await poolState(lon.poolId)).actual);
  });

  it("is idempotent: a double submit cancels once; the second answers success, already cancelled, with no second event", async () => {
    const reference = await confirmed(lon);
    const as = { user: ops, meta: meta() };

    const [a, b] = await Promise.all([
      cancelBookingAction.withRequest(as)({ reference, reason: "Double click" }),
      cancelBookingAction.withRequest(as)({ reference, reason: "Double click" }),
    ]);
    const again = await cancelBookingAction.withRequest({ user: ops, meta: meta() })({ reference, reason: "Third time" });

    expect([a, b].filter((r) => !r.ok)).toEqual([]);
    expect(again).toEqual({ ok: true, data: { reference, status: "CANCELLED", alreadyDone: true } });
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference } });
    expect(booking.cancelReason).toBe("Double click");
    expect(await getDb().event.count({ where: { bookingId: booking.id, type: "booking.cancelled" } })).toBe(1);
    expect(await getDb().auditEntry.count({ where: { targetType: "booking", targetId: reference, action: "booking.cancel" } })).toBe(1);
  });

  it("requires a reason: VALIDATION_FAILED at the field, nothing changed", async () => {
    const reference = await confirmed(lon);
    const before = await stateOf(reference, lon.poolId);

    const blank = await cancelBookingAction.withRequest({ user: ops, meta: meta() })({ reference, reason: "   " });
    const tooLong = await cancelBookingAction.withRequest({ user: ops, meta: meta() })({ reference, reason: "x".repeat(501) });
    const extra = await cancelBookingAction.withRequest({ user: ops, meta: meta() })({ reference, reason: "ok", cancelledBy: "someone else" } as never);
    const badReference = await cancelBookingAction.withRequest({ user: ops, meta: meta() })({ reference: "BK-1; drop", reason: "ok" });

    expect(blank).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { reason: ["Say why the booking is cancelled."] } });
    expect(tooLong).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { reason: [expect.any(String)] } });
    expect(extra).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
    expect(badReference).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { reference: [expect.any(String)] } });
    expect(await stateOf(reference, lon.poolId)).toEqual(before);
  });

  it("a site manager outside the booking's facility gets NOT_FOUND, audited as DENIED, and nothing changes; at their own, it works", async () => {
    const theirs = await confirmed(nyc);
    const before = await stateOf(theirs, nyc.poolId);
    const [outOfScope, nowhere] = [meta(), meta()];

    const refused = await cancelBookingAction.withRequest({ user: manager, meta: outOfScope })({ reference: theirs.toLowerCase(), reason: "not mine" });
    const unknown = await cancelBookingAction.withRequest({ user: manager, meta: nowhere })({ reference: "BK-NOSUCH", reason: "no" });

    expect(refused).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(unknown).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await stateOf(theirs, nyc.poolId)).toEqual(before);
    // The booking exists, outside the manager's facilities: a denial, in that facility's trail and on the booking's timeline.
    expect(await auditsOf(outOfScope.correlationId)).toMatchObject([
      {
        action: "booking.cancel",
        result: "DENIED",
        actorId: manager.id,
        targetType: "booking",
        targetId: theirs,
        facilityId: nyc.facilityId,
        metadata: { code: "NOT_FOUND" },
      },
    ]);
    // No such booking: a failed call, not a denial.
    expect(await auditsOf(nowhere.correlationId)).toMatchObject([
      { action: "booking.cancel", result: "FAILED", actorId: manager.id, targetType: "booking", targetId: "BK-NOSUCH", facilityId: null },
    ]);

    const own = await confirmed(lon);
    expect(await cancelBookingAction.withRequest({ user: manager, meta: meta() })({ reference: own, reason: "Unit flooded" })).toMatchObject({
      ok: true,
      data: { status: "CANCELLED" },
    });
  });

  it("refuses the signed-out: UNAUTHENTICATED, nothing changed, nothing audited", async () => {
    const reference = await confirmed(lon);
    const before = await stateOf(reference, lon.poolId);
    const request = meta();
    const result = await cancelBookingAction.withRequest({ user: null, meta: request })({ reference, reason: "forged" });
    expect(result).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await stateOf(reference, lon.poolId)).toEqual(before);
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });
});

describe("fulfilBookingAction", () => {
  it("support may not move in: FORBIDDEN, audited as DENIED, nothing changed", async () => {
    const reference = await confirmed(lon);
    const before = await stateOf(reference, lon.poolId);
    const request = meta();

    const result = await fulfilBookingAction.withRequest({ user: support, meta: request })({ reference });

    expect(result).toMatchObject({ ok: false, code: "FORBIDDEN", correlationId: request.correlationId });
    expect(await stateOf(reference, lon.poolId)).toEqual(before);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      {
        action: "booking.fulfil",
        result: "DENIED",
        actorId: support.id,
        targetType: "permission",
        targetId: "booking.fulfil",
        // what the refused call was about, for the reader of the audit log
        metadata: { attempted_target: { type: "booking", id: reference } },
      },
    ]);
  });

  it("moves in: FULFILLED, an access grant (its code never returned), events and the audit entry", async () => {
    const reference = await confirmed(lon);
    const request = meta();

    const result = await fulfilBookingAction.withRequest({ user: manager, meta: request })({ reference });

    expect(result).toEqual({ ok: true, data: { reference, status: "FULFILLED", alreadyDone: false } });
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference } });
    const events = await getDb().event.findMany({ where: { bookingId: booking.id, correlationId: request.correlationId }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["inventory.updated", "booking.fulfilled", "access.granted"]);
    expect(await getDb().accessGrant.count({ where: { bookingId: booking.id, status: "ACTIVE" } })).toBe(1);
    expect(await auditsOf(request.correlationId)).toMatchObject([{ action: "booking.fulfil", result: "SUCCESS", actorId: manager.id, targetId: reference }]);
    // a second move-in changes nothing
    const again = await fulfilBookingAction.withRequest({ user: manager, meta: meta() })({ reference });
    expect(again).toEqual({ ok: true, data: { reference, status: "FULFILLED", alreadyDone: true } });
    expect(await getDb().accessGrant.count({ where: { bookingId: booking.id } })).toBe(1);
  });

  it("refuses a move-in the lifecycle does not allow (a hold): INVALID_TRANSITION with the allowed actions, nothing changed", async () => {
    const held = await createHold(holdInput(lon), partner.actor);
    const before = await stateOf(held.reference, lon.poolId);

    const result = await fulfilBookingAction.withRequest({ user: ops, meta: meta() })({ reference: held.reference });

    expect(result).toMatchObject({ ok: false, code: "INVALID_TRANSITION", context: { current_status: "tentative", allowed_actions: ["confirm", "cancel"] } });
    expect(await stateOf(held.reference, lon.poolId)).toEqual(before);
  });

  it("a business-rule refusal is audited as FAILED with its code and detail, and shows on the booking's timeline", async () => {
    const held = await createHold(holdInput(lon), partner.actor);
    const request = meta();

    const result = await fulfilBookingAction.withRequest({ user: ops, meta: request })({ reference: held.reference });

    expect(result).toMatchObject({ ok: false, code: "INVALID_TRANSITION" });
    expect(await auditsOf(request.correlationId)).toMatchObject([
      {
        action: "booking.fulfil",
        result: "FAILED",
        actorId: ops.id,
        targetType: "booking",
        targetId: held.reference,
        facilityId: lon.facilityId,
        reason: result.ok ? null : result.message,
        metadata: { code: "INVALID_TRANSITION", context: { current_status: "tentative" } },
      },
    ]);
    const timeline = await getBookingTimeline(held.reference, actorForUser(ops, meta()));
    const refusals = timeline.groups.flatMap((g) => g.entries).filter((e) => e.kind === "audit" && e.result !== "SUCCESS");
    expect(refusals).toMatchObject([
      { action: "booking.fulfil", result: "FAILED", correlationId: request.correlationId, refusal: { code: "INVALID_TRANSITION" } },
    ]);
  });

  it("a site manager cannot move in at another facility: NOT_FOUND, audited as DENIED, nothing changed", async () => {
    const reference = await confirmed(nyc);
    const before = await stateOf(reference, nyc.poolId);
    const request = meta();
    expect(await fulfilBookingAction.withRequest({ user: manager, meta: request })({ reference })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(await stateOf(reference, nyc.poolId)).toEqual(before);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      { action: "booking.fulfil", result: "DENIED", actorId: manager.id, targetType: "booking", targetId: reference, facilityId: nyc.facilityId },
    ]);
  });
});
