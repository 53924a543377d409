import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure } from "../../config";
import { disconnectDb, getDb } from "../../db";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  type TestPartner,
  type TestPool,
  type TestUser,
  refusalOf,
} from "../../../test/factories";
import { decryptSecret } from "@/server/domain/shared/secrets";
import { closeRateLimitPool } from "../rate-limits/consume";
import { confirmBooking } from "../bookings/confirm-booking";
import { createHold } from "../bookings/create-hold";
import { fulfilBooking } from "../bookings/fulfil-booking";
import { regenerateAccessCode } from "./regenerate-access-code";
import { revealAccessCode } from "./reveal-access-code";

let pool: TestPool;
let otherPool: TestPool;
let partner: TestPartner;
let siteManager: TestUser;
let otherSiteManager: TestUser;
let support: TestUser;
let opsLead: TestUser;

beforeAll(async () => {
  pool = await createFacilityWithPool({ units: 8 });
  otherPool = await createFacilityWithPool({ units: 1 });
  partner = await createPartner();
  siteManager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] });
  otherSiteManager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [otherPool.facilityId] });
  support = await createConsoleUser({ role: "SUPPORT" });
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(async () => {
  await closeRateLimitPool();
  await disconnectDb();
});

async function movedIn(): Promise<{ id: string; reference: string }> {
  const held = await createHold(holdInput(pool), partner.actor);
  await confirmBooking(held.reference, partner.actor);
  await fulfilBooking(held.reference, partner.actor);
  return { id: held.id, reference: held.reference };
}


/** Everything a refusal must leave as it was: the grants, the booking's events, its successful audit entries. */
async function snapshot(bookingId: string, reference: string) {
  const db = getDb();
  return {
    grants: await db.accessGrant.findMany({ where: { bookingId }, orderBy: { issuedAt: "asc" } }),
    events: await db.event.count({ where: { bookingId } }),
    audit: await db.auditEntry.count({ where: { targetId: reference, result: "SUCCESS" } }),
    version: (await db.booking.findUniqueOrThrow({ where: { id: bookingId } })).version,
  };
}

describe("revealing a gate code (docs/domain.md#gate-codes)", () => {
  it("shows a site manager the code of a tenant at their facility, and audits the reveal without the code", async () => {
    const booking = await movedIn();
    const grant = await getDb().accessGrant.findFirstOrThrow({ where: { bookingId: booking.id, status: "ACTIVE" } });
    const revealed = await revealAccessCode(booking.reference, siteManager.actor);
    expect(revealed).toMatchObject({ reference: booking.reference, accessGrantId: grant.id, status: "ACTIVE" });
    expect(revealed.accessCode).toMatch(/^\d{6}$/);
    expect(revealed.accessCode).toBe(decryptSecret(grant.codeCiphertext));

    const audit = await getDb().auditEntry.findMany({ where: { targetId: booking.reference, action: "access.reveal" } });
    expect(audit.map((a) => ({ actor: a.actorLabel, result: a.result, facility: a.facilityId, grant: (a.metadata as { access_grant_id?: string }).access_grant_id }))).toEqual([
      { actor: siteManager.email, result: "SUCCESS", facility: pool.facilityId, grant: grant.id },
    ]);
    // The code is in no audit entry and no event of the booking.
    const everything = JSON.stringify([
      await getDb().auditEntry.findMany({ where: { targetId: booking.reference } }),
      await getDb().event.findMany({ where: { bookingId: booking.id } }),
    ], (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    expect(everything).not.toContain(revealed.accessCode);
  });

  it("refuses support (FORBIDDEN) and a site manager of another facility (NOT_FOUND), changing nothing", async () => {
    const booking = await movedIn();
    const before = await snapshot(booking.id, booking.reference);
    expect((await refusalOf(revealAccessCode(booking.reference, support.actor))).code).toBe("FORBIDDEN");
    expect((await refusalOf(revealAccessCode(booking.reference, otherSiteManager.actor))).code).toBe("NOT_FOUND");
    expect(await snapshot(booking.id, booking.reference)).toEqual(before);
    // authorize() audits the missing permission itself (against the permission, naming the booking)
    const denied = await getDb().auditEntry.findMany({ where: { action: "access.reveal", actorId: support.id }, select: { result: true, metadata: true } });
    expect(denied.map((d) => d.result)).toEqual(["DENIED"]);
    expect(JSON.stringify(denied[0]!.metadata)).toContain(booking.reference);
  });

  it("lets the booking's partner read it with access:read, and no one else's partner", async () => {
    const booking = await movedIn();
    const revealed = await revealAccessCode(booking.reference, partner.actor);
    expect(revealed.accessCode).toMatch(/^\d{6}$/);
    const stranger = await createPartner();
    expect((await refusalOf(revealAccessCode(booking.reference, stranger.actor))).code).toBe("NOT_FOUND");
    const noScope = await createPartner({ scopes: ["bookings:read", "bookings:write"] });
    expect((await refusalOf(revealAccessCode(booking.reference, noScope.actor))).code).toBe("FORBIDDEN");
  });

  it("refuses a booking that has no live code (not moved in) with CONFLICT", async () => {
    const held = await createHold(holdInput(pool), partner.actor);
    await confirmBooking(held.reference, partner.actor);
    const before = await snapshot(held.id, held.reference);
    const error = await refusalOf(revealAccessCode(held.reference, opsLead.actor));
    expect({ code: error.code, context: error.context }).toEqual({ code: "CONFLICT", context: { current_status: "confirmed", has_access_grant: false } });
    expect(await snapshot(held.id, held.reference)).toEqual(before);
  });

  it("counts reveals per actor: past HOLDFAST_ACCESS_REVEALS_PER_HOUR it answers RATE_LIMITED and reveals nothing", async () => {
    const restore = configure({ HOLDFAST_ACCESS_REVEALS_PER_HOUR: "2" });
    try {
      const booking = await movedIn();
      const manager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] });
      await revealAccessCode(booking.reference, manager.actor);
      await revealAccessCode(booking.reference, manager.actor);
      const error = await refusalOf(revealAccessCode(booking.reference, manager.actor));
      expect({ code: error.code, limit: error.context.limit }).toEqual({ code: "RATE_LIMITED", limit: 2 });
      const reveals = await getDb().auditEntry.count({ where: { targetId: booking.reference, action: "access.reveal", result: "SUCCESS" } });
      expect(reveals).toBe(2);
      // another user has a bucket of their own
      expect((await revealAccessCode(booking.reference, opsLead.actor)).accessCode).toMatch(/^\d{6}$/);
    } finally {
      restore();
    }
  });
});

describe("regenerating a gate code", () => {
  it("revokes the live grant, issues a new one, with access.revoked and access.granted at one booking version", async () => {
    const booking = await movedIn();
    const old = await getDb().accessGrant.findFirstOrThrow({ where: { bookingId: booking.id, status: "ACTIVE" } });
    const versionBefore = (await getDb().booking.findUniqueOrThrow({ where: { id: booking.id } })).version;
    const result = await regenerateAccessCode(booking.reference, { reason: "Tenant shared the code" }, siteManager.actor);
    expect(result.revokedAccessGrantId).toBe(old.id);
    const grants = await getDb().accessGrant.findMany({ where: { bookingId: booking.id }, orderBy: { issuedAt: "asc" } });
    expect(grants.map((g) => ({ id: g.id, status: g.status, reason: g.revokeReason }))).toEqual([
      { id: old.id, status: "REVOKED", reason: "Tenant shared the code" },
      { id: result.accessGrantId, status: "ACTIVE", reason: null },
    ]);
    expect(grants[1]!.codeCiphertext).not.toBe(old.codeCiphertext);
    const events = await getDb().event.findMany({ where: { bookingId: booking.id, aggregateVersion: versionBefore + 1 }, orderBy: { seq: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["access.revoked", "access.granted"]);
    const revealed = await revealAccessCode(booking.reference, siteManager.actor);
    expect(revealed.accessGrantId).toBe(result.accessGrantId);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(revealed.accessCode);
  });

  it("refuses support and input without a reason, changing nothing", async () => {
    const booking = await movedIn();
    const before = await snapshot(booking.id, booking.reference);
    expect((await refusalOf(regenerateAccessCode(booking.reference, { reason: "x" }, support.actor))).code).toBe("FORBIDDEN");
    expect((await refusalOf(regenerateAccessCode(booking.reference, { reason: " " }, siteManager.actor))).code).toBe("VALIDATION_FAILED");
    expect((await refusalOf(regenerateAccessCode(booking.reference, { reason: "x" }, otherSiteManager.actor))).code).toBe("NOT_FOUND");
    expect(await snapshot(booking.id, booking.reference)).toEqual(before);
  });
});
