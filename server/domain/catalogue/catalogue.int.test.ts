import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConsoleUser, createPartner, holdInput, poolInvariantViolations, uniq, type TestPartner, type TestPool, type TestUser, refusalOf } from "../../../test/factories";
import { disconnectDb, getDb } from "../../db";
import { createHold } from "../bookings/create-hold";
import { blockUnit } from "../inventory/block-unit";
import type { Actor } from "@/server/domain/shared/actor";
import { type DomainError } from "@/server/domain/shared/errors";
import { addUnit } from "./add-unit";
import { changeUnitTypeRate } from "./change-unit-type-rate";
import { createFacility, type CreateFacilityInput } from "./create-facility";
import { createUnitType, type CreateUnitTypeInput } from "./create-unit-type";
import { retireUnit } from "./retire-unit";
import { retypeUnit } from "./retype-unit";
import { updateFacility } from "./update-facility";
import { updateUnitType } from "./update-unit-type";
import { getCatalogueFacility } from "./get-catalogue-facility";
import { listFacilitiesWithUnitTypes } from "../inventory/list-facilities";
import { getFacilityPools } from "../inventory/list-facility-pools";

// docs/domain.md#catalogue, rule by rule, against real PostgreSQL.

let partner: TestPartner;
let admin: TestUser;
let opsLead: TestUser;

beforeAll(async () => {
  partner = await createPartner();
  admin = await createConsoleUser({ role: "ADMIN" });
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(disconnectDb);

/** The actor with a fresh correlation id, to find this call's events and audit entries. */
function fresh(actor: Actor): Actor {
  return { ...actor, correlationId: `cor_test_${crypto.randomUUID()}` };
}


const eventsOf = (correlationId: string) =>
  getDb().event.findMany({ where: { correlationId }, orderBy: { seq: "asc" }, select: { type: true, aggregateType: true, aggregateVersion: true, data: true } });
const auditsOf = (correlationId: string) =>
  getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" }, select: { action: true, result: true, targetId: true } });

function holdAt(facilityCode: string, unitTypeCode: string, overrides: Record<string, unknown> = {}) {
  return holdInput({ facilityCode, unitTypeCode } as TestPool, overrides);
}

/** Everything a catalogue change may touch at a facility, to prove a refusal changed nothing. */
async function facilitySnapshot(facilityId: string) {
  const db = getDb();
  return {
    facility: await db.facility.findUniqueOrThrow({ where: { id: facilityId } }),
    unitTypes: await db.unitType.findMany({ where: { facilityId }, orderBy: { code: "asc" } }),
    rates: await db.unitTypeRate.findMany({ where: { unitType: { facilityId } }, orderBy: { effectiveFrom: "asc" } }),
    pools: await db.inventoryPool.findMany({ where: { facilityId }, orderBy: { id: "asc" } }),
    units: await db.unit.findMany({ where: { facilityId }, orderBy: { code: "asc" } }),
    bookings: await db.booking.findMany({ where: { facilityId }, orderBy: { reference: "asc" } }),
    events: await db.event.count({ where: { facilityId } }),
    audit: await db.auditEntry.count({ where: { facilityId, result: "SUCCESS" } }),
  };
}

function facilityInput(overrides: Partial<CreateFacilityInput> = {}): CreateFacilityInput {
  return {
    code: uniq("CAT"),
    name: "Catalogue Test Storage",
    timezone: "Europe/London",
    address_line1: "2 Test Road",
    city: "Leeds",
    postal_code: "LS1 1AA",
    country: "gb",
    currency: "gbp",
    access_hours: "Daily 06:00–22:00",
    ...overrides,
  };
}

function unitTypeInput(facilityCode: string, overrides: Partial<CreateUnitTypeInput> = {}): CreateUnitTypeInput {
  return {
    facility_code: facilityCode,
    code: "5X10",
    name: "5 × 10",
    width_ft: 5,
    depth_ft: 10,
    climate_controlled: true,
    features: ["ground floor"],
    monthly_rate_cents: 7_900,
    ...overrides,
  };
}

/** A facility with one unit type and `units` units, made through the services. */
async function catalogueFacility(units: number, typeCode = "5X10") {
  const f = await createFacility(facilityInput(), admin.actor);
  const t = await createUnitType(unitTypeInput(f.code, { code: typeCode }), admin.actor);
  const codes: string[] = [];
  for (let i = 0; i < units; i++) {
    const code = `U-${100 + i}`;
    await addUnit({ facility_code: f.code, unit_type_code: typeCode, code }, admin.actor);
    codes.push(code);
  }
  return { facility: f, unitType: t, poolId: t.poolId, codes };
}

describe("facilities", () => {
  it("creates a facility: facility.created and its audit entry in the same transaction; codes normalised", async () => {
    const actor = fresh(opsLead.actor);
    const input = facilityInput();
    const created = await createFacility(input, actor);
    const row = await getDb().facility.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ code: input.code, country: "GB", currency: "GBP", timezone: "Europe/London", previousCodes: [] });
    const events = await eventsOf(actor.correlationId);
    expect(events.map((e) => [e.type, e.aggregateType, e.aggregateVersion])).toEqual([["facility.created", "facility", 1]]);
    expect(events[0]!.data).toMatchObject({ facility_code: input.code, currency: "GBP", address: { city: "Leeds" } });
    expect(await auditsOf(actor.correlationId)).toEqual([{ action: "facility.create", result: "SUCCESS", targetId: created.id }]);
  });

  it("refuses bad input, a taken code and a site manager, changing nothing", async () => {
    const existing = await createFacility(facilityInput(), admin.actor);
    const before = await getDb().facility.count();
    const bad = await refusalOf(createFacility(facilityInput({ timezone: "Mars/Olympus", currency: "pounds" }), admin.actor));
    expect(bad.code).toBe("VALIDATION_FAILED");
    expect(bad.fieldErrors?.map((f) => f.path).sort()).toEqual(["currency", "timezone"]);
    const taken = await refusalOf(createFacility(facilityInput({ code: existing.code }), admin.actor));
    expect(taken.code).toBe("CONFLICT");
    expect(taken.context).toMatchObject({ code: existing.code, held_by: existing.code });
    const siteManager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [existing.id] });
    expect((await refusalOf(createFacility(facilityInput(), siteManager.actor))).code).toBe("FORBIDDEN");
    expect((await refusalOf(updateFacility({ facility_code: existing.code, name: "Mine now" }, siteManager.actor))).code).toBe("FORBIDDEN");
    expect(await getDb().facility.count()).toBe(before);
  });

  it("renames: the old code still finds the facility, is never given to another, and the rename is an event", async () => {
    const { facility } = await catalogueFacility(1);
    const newCode = uniq("REN");
    const actor = fresh(admin.actor);
    const result = await updateFacility({ facility_code: facility.code, code: newCode, access_hours: "24/7" }, actor);
    expect(result).toEqual({ changed: true, code: newCode, changedFields: ["code", "access_hours"] });
    const events = await eventsOf(actor.correlationId);
    expect(events.map((e) => [e.type, e.aggregateVersion])).toEqual([["facility.updated", 2]]);
    expect(events[0]!.data).toMatchObject({ facility_code: newCode, previous_code: facility.code, previous_codes: [facility.code] });
    expect((await auditsOf(actor.correlationId)).map((a) => a.action)).toEqual(["facility.update"]);

    // the old code still works wherever a facility is looked up
    await addUnit({ facility_code: facility.code, unit_type_code: "5X10", code: "U-200" }, admin.actor);
    expect(await getDb().unit.count({ where: { facilityId: facility.id } })).toBe(2);
    // and is not given to another facility
    const taken = await refusalOf(createFacility(facilityInput({ code: facility.code }), admin.actor));
    expect(taken.code).toBe("CONFLICT");
    expect(taken.context).toMatchObject({ code: facility.code, held_by: newCode });
    // the same values again: a no-op, no event
    const again = fresh(admin.actor);
    expect(await updateFacility({ facility_code: newCode, access_hours: "24/7" }, again)).toMatchObject({ changed: false });
    expect(await eventsOf(again.correlationId)).toEqual([]);
  });

  it("refuses a currency change once the facility has bookings, changing nothing", async () => {
    const { facility } = await catalogueFacility(1);
    await createHold(holdAt(facility.code, "5X10"), partner.actor);
    const before = await facilitySnapshot(facility.id);
    const error = await refusalOf(updateFacility({ facility_code: facility.code, currency: "EUR", name: "Renamed too" }, admin.actor));
    expect(error.code).toBe("CONFLICT");
    expect(error.context).toMatchObject({ booking_count: 1, current_currency: "GBP" });
    expect(await facilitySnapshot(facility.id)).toEqual(before);
  });
});

describe("unit types and units", () => {
  it("a new unit type has its empty pool; each unit added moves total, available and inventory_version with inventory.updated", async () => {
    const f = await createFacility(facilityInput(), admin.actor);
    const actor = fresh(admin.actor);
    const t = await createUnitType(unitTypeInput(f.code, { width_ft: 7.5, depth_ft: 10.3 }), actor);
    const pool = await getDb().inventoryPool.findUniqueOrThrow({ where: { id: t.poolId } });
    expect(pool).toMatchObject({ total: 0, available: 0, inventoryVersion: 0 });
    const type = await getDb().unitType.findUniqueOrThrow({ where: { id: t.id } });
    expect(Number(type.areaSqFt)).toBe(77.3);
    expect((await eventsOf(actor.correlationId)).map((e) => e.type)).toEqual(["unit_type.created"]);

    const add = fresh(admin.actor);
    const unit = await addUnit({ facility_code: f.code, unit_type_code: "5X10", code: "B-1", floor: 1 }, add);
    expect(unit.inventoryVersion).toBe(1);
    const events = await eventsOf(add.correlationId);
    expect(events.map((e) => [e.type, e.aggregateType])).toEqual([
      ["inventory.updated", "pool"],
      ["unit.added", "unit"],
    ]);
    expect(events[0]!.data).toMatchObject({ total: 1, available: 1, inventory_version: 1, cause: "unit.added" });
    expect((await auditsOf(add.correlationId)).map((a) => a.action)).toEqual(["unit.add"]);
    await addUnit({ facility_code: f.code, unit_type_code: "5X10", code: "B-2" }, admin.actor);
    expect(await getDb().inventoryPool.findUniqueOrThrow({ where: { id: t.poolId } })).toMatchObject({ total: 2, available: 2, inventoryVersion: 2 });
    expect(await poolInvariantViolations(t.poolId)).toEqual([]);

    // a taken unit code or unit type code is refused and changes nothing
    const before = await facilitySnapshot(f.id);
    expect((await refusalOf(addUnit({ facility_code: f.code, unit_type_code: "5X10", code: "B-1" }, admin.actor))).code).toBe("CONFLICT");
    expect((await refusalOf(createUnitType(unitTypeInput(f.code), admin.actor))).code).toBe("CONFLICT");
    expect((await refusalOf(addUnit({ facility_code: f.code, unit_type_code: "NOPE", code: "B-9" }, admin.actor))).code).toBe("NOT_FOUND");
    expect(await facilitySnapshot(f.id)).toEqual(before);
  });

  it("renames a unit type: the old code still takes holds' lookups and is kept", async () => {
    const { facility, unitType } = await catalogueFacility(2);
    const actor = fresh(admin.actor);
    expect(await updateUnitType({ facility_code: facility.code, unit_type_code: "5X10", code: "5X10-CC", features: ["drive-up"] }, actor)).toMatchObject({
      changed: true,
      changedFields: ["code", "features"],
    });
    const events = await eventsOf(actor.correlationId);
    expect(events.map((e) => [e.type, e.aggregateVersion])).toEqual([["unit_type.updated", 2]]);
    expect(events[0]!.data).toMatchObject({ unit_type_code: "5X10-CC", previous_code: "5X10", features: ["drive-up"] });
    // the old code finds the type for a unit
    await addUnit({ facility_code: facility.code, unit_type_code: "5X10", code: "U-300" }, admin.actor);
    expect(await getDb().inventoryPool.findUniqueOrThrow({ where: { id: unitType.poolId } })).toMatchObject({ total: 3 });
    // and is not given to a new type
    expect((await refusalOf(createUnitType(unitTypeInput(facility.code, { code: "5X10" }), admin.actor))).context).toMatchObject({ held_by: "5X10-CC" });
  });

  it("retires an AVAILABLE unit: off the pool (total, available −1, version +1, inventory.updated), unit.retired, audit; again is a no-op", async () => {
    const { facility, poolId, codes } = await catalogueFacility(3);
    const actor = fresh(opsLead.actor);
    const result = await retireUnit({ facility_code: facility.code, unit_code: codes[0]!, reason: "Wall removed" }, actor);
    expect(result).toEqual({ changed: true, inventoryVersion: 4 });
    expect(await getDb().unit.findFirstOrThrow({ where: { facilityId: facility.id, code: codes[0]! } })).toMatchObject({ status: "RETIRED" });
    expect(await getDb().inventoryPool.findUniqueOrThrow({ where: { id: poolId } })).toMatchObject({ total: 2, available: 2, inventoryVersion: 4 });
    const events = await eventsOf(actor.correlationId);
    expect(events.map((e) => e.type)).toEqual(["inventory.updated", "unit.retired"]);
    expect(events[1]!.data).toMatchObject({ unit_code: codes[0], reason: "Wall removed", inventory_version: 4 });
    expect(await auditsOf(actor.correlationId)).toMatchObject([{ action: "unit.retire", result: "SUCCESS" }]);
    expect(await poolInvariantViolations(poolId)).toEqual([]);

    const again = fresh(opsLead.actor);
    expect(await retireUnit({ facility_code: facility.code, unit_code: codes[0]!, reason: "Again" }, again)).toEqual({ changed: false, inventoryVersion: null });
    expect(await eventsOf(again.correlationId)).toEqual([]);
    // nothing is deleted, and a retired unit is never held: the pool holds exactly its two others
    await createHold(holdAt(facility.code, "5X10"), partner.actor);
    await createHold(holdAt(facility.code, "5X10"), partner.actor);
    expect((await refusalOf(createHold(holdAt(facility.code, "5X10"), partner.actor))).code).toBe("INVENTORY_UNAVAILABLE");
    expect(await getDb().booking.count({ where: { unit: { status: "RETIRED" } } })).toBe(0);
    expect(await poolInvariantViolations(poolId)).toEqual([]);
  });

  it("refuses to retire or retype a unit under a hold (naming the booking) or a scheduled block (naming the block), changing nothing", async () => {
    const { facility, codes } = await catalogueFacility(2);
    await createUnitType(unitTypeInput(facility.code, { code: "10X10" }), admin.actor);
    const hold = await createHold(holdAt(facility.code, "5X10"), partner.actor);
    const heldCode = hold.unitCode;
    const freeCode = codes.find((c) => c !== heldCode)!;
    const block = await blockUnit(
      { facility_code: facility.code, unit_code: freeCode, reason: "CLEANING", starts_at: new Date(Date.now() + 86_400_000).toISOString() },
      opsLead.actor,
    );
    const before = await facilitySnapshot(facility.id);

    const retireHeld = await refusalOf(retireUnit({ facility_code: facility.code, unit_code: heldCode, reason: "x" }, admin.actor));
    expect(retireHeld.code).toBe("CONFLICT");
    expect(retireHeld.context).toEqual({ unit_code: heldCode, booking_reference: hold.reference, booking_status: "TENTATIVE" });
    const retypeHeld = await refusalOf(retypeUnit({ facility_code: facility.code, unit_code: heldCode, unit_type_code: "10X10" }, admin.actor));
    expect(retypeHeld.context).toMatchObject({ booking_reference: hold.reference });
    const retireBlocked = await refusalOf(retireUnit({ facility_code: facility.code, unit_code: freeCode, reason: "x" }, admin.actor));
    expect(retireBlocked.code).toBe("CONFLICT");
    expect(retireBlocked.context).toEqual({ unit_code: freeCode, block_id: block.block.id, block_status: "SCHEDULED" });
    const retypeBlocked = await refusalOf(retypeUnit({ facility_code: facility.code, unit_code: freeCode, unit_type_code: "10X10" }, admin.actor));
    expect(retypeBlocked.context).toMatchObject({ block_id: block.block.id });

    expect(await facilitySnapshot(facility.id)).toEqual(before);
  });

  it("retypes a unit: it leaves one pool and joins the other, each with its version and inventory.updated, and unit.retyped", async () => {
    const { facility, poolId: fromPool, codes } = await catalogueFacility(2);
    const to = await createUnitType(unitTypeInput(facility.code, { code: "10X10", width_ft: 10 }), admin.actor);
    const actor = fresh(admin.actor);
    expect(await retypeUnit({ facility_code: facility.code, unit_code: codes[0]!, unit_type_code: "10X10" }, actor)).toEqual({
      changed: true,
      fromUnitTypeCode: "5X10",
      toUnitTypeCode: "10X10",
    });
    expect(await getDb().inventoryPool.findUniqueOrThrow({ where: { id: fromPool } })).toMatchObject({ total: 1, available: 1, inventoryVersion: 3 });
    expect(await getDb().inventoryPool.findUniqueOrThrow({ where: { id: to.poolId } })).toMatchObject({ total: 1, available: 1, inventoryVersion: 1 });
    const events = await eventsOf(actor.correlationId);
    expect(events.map((e) => e.type).sort()).toEqual(["inventory.updated", "inventory.updated", "unit.retyped"]);
    expect(events.find((e) => e.type === "unit.retyped")!.data).toMatchObject({ unit_type_code: "10X10", previous_unit_type_code: "5X10" });
    expect((await auditsOf(actor.correlationId)).map((a) => a.action)).toEqual(["unit.retype"]);
    expect(await poolInvariantViolations(fromPool)).toEqual([]);
    expect(await poolInvariantViolations(to.poolId)).toEqual([]);
    // a hold of the new type takes the retyped unit
    const hold = await createHold(holdAt(facility.code, "10X10"), partner.actor);
    expect(hold.unitCode).toBe(codes[0]);
  });
});

describe("rates", () => {
  it("a rate change has an effective date: holds take the rate in force, bookings keep theirs, a past date is refused", async () => {
    const { facility } = await catalogueFacility(4);
    const first = await createHold(holdAt(facility.code, "5X10"), partner.actor);
    expect(first.monthlyRateCents).toBe(7_900);

    const tomorrow = new Date(Date.now() + 86_400_000).toLocaleDateString("en-CA", { timeZone: "Europe/London" });
    const actor = fresh(admin.actor);
    expect(await changeUnitTypeRate({ facility_code: facility.code, unit_type_code: "5X10", monthly_rate_cents: 9_900, effective_from: tomorrow }, actor)).toMatchObject({
      effectiveNow: false,
    });
    expect((await eventsOf(actor.correlationId)).map((e) => e.type)).toEqual(["unit_type.updated"]);
    expect((await auditsOf(actor.correlationId)).map((a) => a.action)).toEqual(["unit_type.rate_change"]);
    // today: still the old rate
    expect((await createHold(holdAt(facility.code, "5X10"), partner.actor)).monthlyRateCents).toBe(7_900);
    // from tomorrow (the clock moved on): the new one
    const later = await createHold(holdAt(facility.code, "5X10", { move_in_date: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10) }), partner.actor, {
      now: new Date(Date.now() + 2 * 86_400_000),
    });
    expect(later.monthlyRateCents).toBe(9_900);
    // the views read the same rule (rateOn = CURRENT_RATE): today the old rate with the new one scheduled, then the new one
    const viewAt = async (at: Date) => (await getCatalogueFacility(admin.actor, { facility_code: facility.code }, at)).unitTypes[0]!;
    expect(await viewAt(new Date())).toMatchObject({ monthlyRateCents: 7_900, scheduledRates: [{ effectiveFrom: tomorrow, monthlyRateCents: 9_900 }] });
    expect(await viewAt(new Date(Date.now() + 2 * 86_400_000))).toMatchObject({ monthlyRateCents: later.monthlyRateCents, scheduledRates: [] });
    const listed = (await listFacilitiesWithUnitTypes(admin.actor, new Date(Date.now() + 2 * 86_400_000))).find((f) => f.code === facility.code)!;
    expect(listed.unitTypes[0]!.monthlyRateCents).toBe(9_900);
    // effective today: at once
    await changeUnitTypeRate({ facility_code: facility.code, unit_type_code: "5X10", monthly_rate_cents: 8_500 }, admin.actor);
    expect((await createHold(holdAt(facility.code, "5X10"), partner.actor)).monthlyRateCents).toBe(8_500);
    // the inventory overview reads the rate in force too, not the type's own column (made stale here, as a
    // scheduled change coming due leaves it)
    await getDb().unitType.updateMany({ where: { facilityId: facility.id, code: "5X10" }, data: { monthlyRateCents: 7_900 } });
    expect((await getFacilityPools(admin.actor, facility.code)).pools.find((p) => p.unitTypeCode === "5X10")!.monthlyRateCents).toBe(8_500);
    // the first booking kept its rate
    expect(await getDb().booking.findUniqueOrThrow({ where: { reference: first.reference } })).toMatchObject({ monthlyRateCents: 7_900 });

    const before = await facilitySnapshot(facility.id);
    const past = await refusalOf(
      changeUnitTypeRate({ facility_code: facility.code, unit_type_code: "5X10", monthly_rate_cents: 1, effective_from: "2020-01-01" }, admin.actor),
    );
    expect(past.code).toBe("VALIDATION_FAILED");
    expect(past.fieldErrors?.[0]?.path).toBe("effective_from");
    expect(await facilitySnapshot(facility.id)).toEqual(before);
  });
});

describe("retire against hold, concurrently (real PostgreSQL)", () => {
  it("one wins every round; a retired unit is never held; counters stay right", async () => {
    const rounds = 16;
    const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const outcomes: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const { facility, poolId, codes } = await catalogueFacility(1);
      // Either may start first, by up to 20 ms: both orders, and true overlaps, happen.
      const skew = Math.floor(Math.random() * 40) - 20;
      const [hold, retire] = await Promise.allSettled([
        after(Math.max(skew, 0)).then(() => createHold(holdAt(facility.code, "5X10"), partner.actor)),
        after(Math.max(-skew, 0)).then(() => retireUnit({ facility_code: facility.code, unit_code: codes[0]!, reason: "race" }, admin.actor)),
      ]);
      const holdWon = hold.status === "fulfilled";
      const retireWon = retire.status === "fulfilled";
      expect(holdWon !== retireWon, `round ${round}: exactly one wins`).toBe(true);
      if (holdWon) {
        const refusal = (retire as PromiseRejectedResult).reason as DomainError;
        expect(refusal.code).toBe("CONFLICT");
        expect(refusal.context).toMatchObject({ booking_reference: hold.value.reference });
      } else {
        expect(((hold as PromiseRejectedResult).reason as DomainError).code).toBe("INVENTORY_UNAVAILABLE");
      }
      outcomes.push(holdWon ? "hold" : "retire");
      expect(await getDb().booking.count({ where: { facilityId: facility.id, unit: { status: "RETIRED" } } })).toBe(0);
      expect(await poolInvariantViolations(poolId)).toEqual([]);
      const pool = await getDb().inventoryPool.findUniqueOrThrow({ where: { id: poolId } });
      expect(pool.total).toBe(holdWon ? 1 : 0);
    }
    console.log(`retire vs hold, ${rounds} rounds: ${outcomes.join(" ")}`);
  });
});
