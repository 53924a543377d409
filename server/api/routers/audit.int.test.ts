import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, uniq, type TestPartner, type TestPool } from "../../../test/factories";
import { createUser } from "../../../test/user-factory";
import { createPartnerAction } from "../../actions/admin";
import { disconnectDb, getDb } from "../../db";
import { createApiKey } from "../../domain/admin/create-api-key";
import { decodeAuditCursor, encodeAuditCursor } from "../../domain/audit/audit-cursor";
import { createHold } from "../../domain/bookings/create-hold";
import { blockUnit } from "../../domain/inventory/block-unit";
import type { Actor } from "../../domain/shared/actor";
import { writeAudit } from "../../domain/shared/audit";
import { loadSessionUser, type SessionUser } from "../../domain/users/load-session-user";
import { actorForUser } from "../../domain/shared/actor";
import { callerFor, codeOf } from "../../../test/trpc-caller";

afterAll(disconnectDb);

const meta = (correlationId = `cor_audit_${crypto.randomUUID()}`) => ({ ip: "10.1.2.3", userAgent: "vitest", correlationId });
async function sessionUser(options: Parameters<typeof createUser>[0]): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser(options)).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

let admin: SessionUser;
let own: TestPool;
let other: TestPool;
let partner: TestPartner;
/** one correlation id per scenario, so this file's entries are told apart from every other test's */
const run = { booking: "", block: "", admin: "", otherFacility: "", denied: "", series: "" };
let bookingReference: string;
let blockId: string;
let apiKeyId: string;

beforeAll(async () => {
  admin = await sessionUser({ role: "ADMIN" });
  [own, other] = await Promise.all([createFacilityWithPool({ units: 3 }), createFacilityWithPool({ units: 2, timezone: "America/New_York" })]);
  partner = await createPartner();

  // A partner's hold in `own` (audited by the service as booking.hold).
  const holdActor: Actor = { ...partner.actor, correlationId: (run.booking = `cor_audit_${crypto.randomUUID()}`) };
  bookingReference = (await createHold(holdInput(own), holdActor)).reference;

  // An ops lead's block in `own` (maintenance_block, by id).
  const opsLead = await sessionUser({ role: "OPS_LEAD" });
  const blockActor = actorForUser(opsLead, meta((run.block = `cor_audit_${crypto.randomUUID()}`)));
  blockId = (await blockUnit({ facility_code: own.facilityCode, unit_code: "A-102", reason: "PEST", note: "traps set" }, blockActor)).block.id;

  // An admin's API key (api_key, by id; no facility).
  const adminActor = actorForUser(admin, meta((run.admin = `cor_audit_${crypto.randomUUID()}`)));
  apiKeyId = (await createApiKey({ partnerId: partner.id, name: "audit test", scopes: ["inventory:read"] }, adminActor)).id;

  // Something in the other facility.
  const otherActor: Actor = { ...partner.actor, correlationId: (run.otherFacility = `cor_audit_${crypto.randomUUID()}`) };
  await createHold(holdInput(other), otherActor);

  // A refused server action: support forging an admin-only call.
  const support = await sessionUser({ role: "SUPPORT" });
  await createPartnerAction.withRequest({ user: support, meta: meta((run.denied = `cor_audit_${crypto.randomUUID()}`)) })({
    code: uniq("FORGED").replace("-", "_"),
    name: "Forged",
    kind: "OTHER",
  });

  // 7 entries a second apart, for paging.
  run.series = `cor_audit_${crypto.randomUUID()}`;
  const seriesActor: Actor = { ...partner.actor, correlationId: run.series };
  const base = Date.parse("2020-03-01T10:00:00.000Z");
  for (let i = 0; i < 7; i++) {
    await writeAudit(getDb(), seriesActor, {
      action: "test.series",
      targetType: "booking",
      targetId: `BK-SERIES${i}`,
      facilityId: own.facilityId,
      at: new Date(base + i * 1000),
    });
  }
  // A unit named the way a refusal names it: "FACILITY/UNIT".
  await writeAudit(getDb(), seriesActor, { action: "test.unit", targetType: "unit", targetId: `${own.facilityCode}/A-101`, facilityId: own.facilityId });
  // Two at the very same millisecond: the id breaks the tie.
  for (const id of ["BK-TIE-A", "BK-TIE-B"]) {
    await writeAudit(getDb(), seriesActor, { action: "test.series", targetType: "booking", targetId: id, facilityId: own.facilityId, at: new Date(base - 5000) });
  }
});

describe("audit router", () => {
  it("refuses a caller with no session (UNAUTHORIZED) and rejects a malformed filter (BAD_REQUEST)", async () => {
    expect(await codeOf(callerFor(null).audit.list({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(null).audit.export({}))).toBe("UNAUTHORIZED");
    const caller = callerFor(admin);
    expect(await codeOf(caller.audit.list({ filter: { result: "MAYBE" as "DENIED" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.audit.list({ filter: { from: "2030-01-02", to: "2030-01-01" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.audit.list({ filter: { action: "drop table" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.audit.list({ cursor: "bm90IGEgY3Vyc29y" }))).toBe("BAD_REQUEST");
  });

  it("resolves each target to the identifiers the console links by", async () => {
    const caller = callerFor(admin);
    const [booking] = (await caller.audit.list({ filter: { correlationId: run.booking } })).entries;
    expect(booking).toMatchObject({
      actorType: "PARTNER",
      actorLabel: partner.code,
      action: "booking.hold",
      targetType: "booking",
      targetId: bookingReference,
      result: "SUCCESS",
      facilityCode: own.facilityCode,
      facilityTimezone: "Europe/London",
      target: { facilityCode: own.facilityCode },
    });

    const [block] = (await caller.audit.list({ filter: { correlationId: run.block } })).entries;
    expect(block).toMatchObject({
      action: "unit.block",
      targetType: "maintenance_block",
      targetId: blockId,
      target: { facilityCode: own.facilityCode, unitCode: "A-102" },
      metadata: expect.objectContaining({}),
    });

    const [key] = (await caller.audit.list({ filter: { correlationId: run.admin } })).entries;
    expect(key).toMatchObject({
      actorType: "USER",
      actorLabel: admin.email,
      action: "api_key.create",
      targetType: "api_key",
      targetId: apiKeyId,
      facilityCode: null,
      target: { partnerCode: partner.code, label: expect.stringMatching(/^hf_/) },
      ip: "10.1.2.3",
      userAgent: "vitest",
    });
  });

  it("lists denials with their permission, filterable by result", async () => {
    const caller = callerFor(admin);
    const { entries } = await caller.audit.list({ filter: { result: "DENIED", correlationId: run.denied } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "partner.create", targetType: "permission", targetId: "admin.manage", result: "DENIED" });
    expect(entries[0]!.reason).toMatch(/admin\.manage/);
    expect((await caller.audit.list({ filter: { result: "SUCCESS", correlationId: run.denied } })).entries).toEqual([]);
    // And the refused call created nothing.
    expect(await getDb().partner.count({ where: { name: "Forged" } })).toBe(0);
  });

  it("filters by actor, action (exact or an area), target and time", async () => {
    const caller = callerFor(admin);
    const ids = async (filter: Parameters<typeof caller.audit.list>[0]["filter"]) =>
      (await caller.audit.list({ filter: { ...filter, action: filter?.action ?? "test.series", correlationId: run.series } })).entries.map((e) => e.targetId);

    expect(await ids({ actorType: "PARTNER", actor: partner.code.toLowerCase() })).toHaveLength(9);
    expect(await ids({ actorType: "USER" })).toEqual([]);
    expect(await ids({ actor: "nobody-like-this" })).toEqual([]);
    expect(await ids({ action: "test.series" })).toHaveLength(9);
    expect(await ids({ action: "test.*" })).toHaveLength(10);
    expect(await ids({ action: "test.other" })).toEqual([]);
    expect(await ids({ targetType: "booking", targetId: "bk-series3" })).toEqual(["BK-SERIES3"]);
    expect(await ids({ from: new Date("2020-03-01T10:00:02.000Z"), to: new Date("2020-03-01T10:00:04.000Z") })).toEqual(["BK-SERIES3", "BK-SERIES2"]);
    expect(await ids({ facilityCode: other.facilityCode })).toEqual([]);
    // The search box: part of the actor's label, or an exact target id / correlation id.
    expect((await caller.audit.list({ filter: { q: "BK-SERIES5" } })).entries.map((e) => e.targetId)).toEqual(["BK-SERIES5"]);
    expect((await caller.audit.list({ filter: { q: run.block } })).entries.map((e) => e.action)).toEqual(["unit.block"]);
  });

  it("resolves a unit written as FACILITY/UNIT", async () => {
    const [unit] = (await callerFor(admin).audit.list({ filter: { correlationId: run.series, action: "test.unit" } })).entries;
    expect(unit).toMatchObject({ targetType: "unit", target: { facilityCode: own.facilityCode, unitCode: "A-101" } });
  });

  it("pages newest first by keyset, without gaps or repeats, ties broken by id", async () => {
    const caller = callerFor(admin);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof caller.audit.list>> = await caller.audit.list({ filter: { correlationId: run.series, action: "test.series" }, cursor, limit: 2, direction: "forward" });
      seen.push(...page.entries.map((e) => e.targetId!));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(["BK-SERIES6", "BK-SERIES5", "BK-SERIES4", "BK-SERIES3", "BK-SERIES2", "BK-SERIES1", "BK-SERIES0", "BK-TIE-B", "BK-TIE-A"]);
    expect(pages).toBe(5);
    const cursorValue = { occurredAt: new Date("2020-03-01T10:00:00.000Z"), id: 42n };
    expect(decodeAuditCursor(encodeAuditCursor(cursorValue))).toEqual(cursorValue);
  });

  it("shows a site manager only their facilities' entries", async () => {
    const manager = await sessionUser({ role: "SITE_MANAGER", facilityIds: [own.facilityId] });
    const caller = callerFor(manager);
    expect((await caller.audit.list({ filter: { correlationId: run.booking } })).entries).toHaveLength(1);
    expect((await caller.audit.list({ filter: { correlationId: run.block } })).entries).toHaveLength(1);
    expect((await caller.audit.list({ filter: { correlationId: run.otherFacility } })).entries).toEqual([]);
    // Entries tied to no facility (users, partners, keys, refusals) are not theirs either.
    expect((await caller.audit.list({ filter: { correlationId: run.admin } })).entries).toEqual([]);
    expect((await caller.audit.export({ correlationId: run.otherFacility })).entries).toEqual([]);
    expect((await caller.audit.list({ filter: { facilityCode: other.facilityCode, correlationId: run.otherFacility } })).entries).toEqual([]);
    const facets = await caller.audit.facets();
    expect(facets.actions).not.toContain("api_key.create");

    const nowhere = await sessionUser({ role: "SITE_MANAGER" });
    expect((await callerFor(nowhere).audit.list({ filter: { correlationId: run.booking } })).entries).toEqual([]);

    const support = await sessionUser({ role: "SUPPORT" });
    expect((await callerFor(support).audit.list({ filter: { correlationId: run.otherFacility } })).entries).toHaveLength(1);
  });

  it("exports every matching entry and offers the recorded actions and target types", async () => {
    const caller = callerFor(admin);
    const exported = await caller.audit.export({ correlationId: run.series, action: "test.series" });
    expect(exported.truncated).toBe(false);
    expect(exported.entries).toHaveLength(9);
    const facets = await caller.audit.facets();
    expect(facets.actions).toEqual(expect.arrayContaining(["booking.hold", "unit.block", "api_key.create", "partner.create", "test.series"]));
    expect(facets.targetTypes).toEqual(expect.arrayContaining(["booking", "maintenance_block", "api_key", "permission"]));
  });
});
