import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../../../test/factories";
import { disconnectDb, getDb } from "../../db";
import { createHold } from "../bookings/create-hold";
import type { Actor } from "@/server/domain/shared/actor";
import { recordRefusal, refusalResult } from "./record-refusal";

/**
 * The one writer of refused mutations' audit entries, against real PostgreSQL: what
 * each refusal is recorded as, and that a failure to audit never becomes the caller's
 * failure.
 */

afterAll(disconnectDb);

let pool: TestPool;
let partner: TestPartner;

beforeAll(async () => {
  [pool, partner] = await Promise.all([createFacilityWithPool({ units: 2 }), createPartner()]);
});

function user(facilityIds: string[] | null): Actor {
  return {
    type: "USER",
    id: crypto.randomUUID(),
    label: "manager@example.test",
    scopes: ["booking.cancel"],
    facilityIds,
    correlationId: `cor_refusal_${crypto.randomUUID()}`,
    ip: "10.0.0.9",
  };
}

const auditsOf = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" } });

describe("refusalResult", () => {
  it("maps permission to DENIED, NOT_FOUND by whether the target exists, business rules to FAILED, malformed or retryable calls to nothing", () => {
    expect(refusalResult("FORBIDDEN", false)).toBe("DENIED");
    expect(refusalResult("INVALID_TRANSITION", true, "booking.fulfil")).toBe("DENIED");
    expect(refusalResult("NOT_FOUND", true)).toBe("DENIED");
    expect(refusalResult("NOT_FOUND", false)).toBe("FAILED");
    for (const code of ["HOLD_EXPIRED", "INVALID_TRANSITION", "INVENTORY_UNAVAILABLE", "VERSION_CONFLICT", "CONFLICT"] as const) {
      expect(refusalResult(code, true), code).toBe("FAILED");
    }
    for (const code of ["VALIDATION_FAILED", "UNAUTHENTICATED", "RATE_LIMITED", "INVENTORY_HELD_BY_OTHER_TXN", "INTERNAL"] as const) {
      expect(refusalResult(code, true), code).toBeNull();
    }
  });
});

describe("recordRefusal", () => {
  it("records an attempt on a booking outside the caller's scope as DENIED, in the booking's facility, under its stored reference", async () => {
    const hold = await createHold(holdInput(pool), partner.actor);
    const actor = user([crypto.randomUUID()]);

    const result = await recordRefusal(actor, {
      action: "booking.cancel",
      code: "NOT_FOUND",
      detail: `Booking ${hold.reference} was not found.`,
      target: { type: "booking", id: hold.reference.toLowerCase() },
    });

    expect(result).toBe("DENIED");
    expect(await auditsOf(actor.correlationId)).toMatchObject([
      {
        action: "booking.cancel",
        result: "DENIED",
        targetType: "booking",
        targetId: hold.reference,
        facilityId: pool.facilityId,
        ip: "10.0.0.9",
        metadata: { code: "NOT_FOUND", detail: `Booking ${hold.reference} was not found.` },
      },
    ]);
  });

  it("records a missing permission against the permission, naming the attempted target", async () => {
    const actor = user(null);
    expect(await recordRefusal(actor, { action: "booking.fulfil", code: "FORBIDDEN", permission: "booking.fulfil", target: { type: "booking", id: "BK-X" } })).toBe(
      "DENIED",
    );
    expect(await auditsOf(actor.correlationId)).toMatchObject([
      { result: "DENIED", targetType: "permission", targetId: "booking.fulfil", reason: "Missing permission booking.fulfil", metadata: { attempted_target: { type: "booking", id: "BK-X" } } },
    ]);
  });

  it("writes nothing for malformed input", async () => {
    const actor = user(null);
    expect(await recordRefusal(actor, { action: "booking.cancel", code: "VALIDATION_FAILED", target: { type: "booking", id: "BK-X" } })).toBeNull();
    expect(await auditsOf(actor.correlationId)).toEqual([]);
  });

  it("never throws: an audit that cannot be written is logged and the caller keeps its refusal", async () => {
    const actor = user(null);
    // PostgreSQL refuses both rows (not a uuid; not an actor type): the write fails.
    await expect(
      recordRefusal(actor, { action: "booking.cancel", code: "HOLD_EXPIRED", target: { type: "booking", id: "BK-X", facilityId: "not-a-uuid" } }),
    ).resolves.toBeNull();
    await expect(recordRefusal({ ...actor, type: "NOBODY" as Actor["type"] }, { action: "booking.cancel", code: "FORBIDDEN", permission: "booking.cancel" })).resolves.toBeNull();
    await expect(recordRefusal(actor, { action: "unit.block", code: "NOT_FOUND", target: { type: "unit", id: "\u0000/\u0000" } })).resolves.toBeNull();
    expect(await auditsOf(actor.correlationId)).toEqual([]);
  });
});
