import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolState,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
  type TestUser,
} from "../../../test/factories";
import { getDb } from "../../db";
import { createHold } from "../bookings/create-hold";
import { listAvailability } from "../inventory/list-availability";
import { DomainError } from "@/server/domain/shared/errors";
import { applyCorrection } from "./apply-correction";
import { parseConfig, type ReconcileConfig } from "../../config";
import { runReconciliation } from "./run-reconciliation";

// docs/availability.md: reconciliation compares what each pool advertises (`available`)
// with what a hold can take (HOLDABLE_UNIT, the picker's own rule), and corrects any gap
// with inventory.corrected + an audit entry. A run sweeps every row: this file gets a
// database of its own. Each test breaks its pool with raw SQL (the simulated bug).
let dropDatabase: () => Promise<void>;
let partner: TestPartner;
let opsLead: TestUser;

const config: ReconcileConfig = { ...parseConfig({}).reconcile, counterTolerance: 1, holdGraceSeconds: 60, ackGraceSeconds: 0 };

beforeAll(async () => {
  process.env.DATABASE_POOL_MAX = "20";
  dropDatabase = await useOwnDatabase("holdable");
  partner = await createPartner();
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(() => dropDatabase());

const run = (options: Parameters<typeof runReconciliation>[0] = {}) => runReconciliation({ trigger: "MANUAL", config, ...options });

async function openFor(facilityId: string) {
  return getDb().discrepancy.findMany({ where: { facilityId, status: "OPEN" }, orderBy: { kind: "asc" } });
}

async function advertised(pool: TestPool): Promise<number> {
  const [row] = await listAvailability(partner.actor, { facilityCode: pool.facilityCode, unitTypeCode: pool.unitTypeCode });
  return row!.available;
}

async function holdCode(pool: TestPool): Promise<string> {
  try {
    return (await createHold(holdInput(pool), partner.actor)).unitCode;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

async function expectCleanRerun() {
  const result = await run();
  expect(result.summary.found).toMatchObject({ POOL_COUNTER: 0, HOLDABLE: 0, UNIT_STATUS: 0, EXPIRED_HOLD: 0 });
  expect(await getDb().discrepancy.count({ where: { status: "OPEN" } })).toBe(0);
}

describe("what a pool advertises vs what a hold can take", () => {
  it("a unit left AVAILABLE under an active block is never handed out, is found as HOLDABLE, and correcting it blocks the unit with inventory.corrected + audit", async () => {
    const pool = await createFacilityWithPool({ units: 4 });
    const stray = pool.unitIds[0]!; // the picker's first choice by code
    // The bug: a block became ACTIVE but its unit (and pool) were never changed.
    await getDb().maintenanceBlock.create({
      data: { facilityId: pool.facilityId, unitId: stray, reason: "DAMAGE", status: "ACTIVE", startsAt: new Date(), startedAt: new Date() },
    });
    // the picker follows HOLDABLE_UNIT: it passes over A-100
    expect(await holdCode(pool)).toBe("A-101");
    expect(await advertised(pool)).toBe(3);

    const first = await run();
    // the counters agree with the unit statuses: only the holdable check sees what partners are told
    expect(first.summary.found).toMatchObject({ POOL_COUNTER: 0, HOLDABLE: 1, UNIT_STATUS: 1 });
    const [unitDrift, holdable] = await openFor(pool.facilityId);
    expect(unitDrift).toMatchObject({ kind: "UNIT_STATUS", unitId: stray });
    const version = (await poolState(pool.poolId)).pool.inventoryVersion;
    expect(holdable).toMatchObject({
      kind: "HOLDABLE",
      poolId: pool.poolId,
      severity: "HIGH",
      expected: { available: 2 },
      actual: { available: 3, inventory_version: version, unholdable_units: ["A-100"] },
    });

    const correlationId = `cor_test_${crypto.randomUUID()}`;
    const actor = { ...opsLead.actor, correlationId };
    const result = await applyCorrection({ discrepancyId: holdable!.id, note: "block start lost" }, actor, { config });
    expect(result).toMatchObject({ status: "CORRECTED", changed: true });

    expect(await getDb().unit.findUniqueOrThrow({ where: { id: stray } })).toMatchObject({ status: "BLOCKED" });
    const state = await poolState(pool.poolId);
    expect(state.counters).toEqual({ available: 2, held: 1, booked: 0, occupied: 0, blocked: 1 });
    expect(state.actual).toEqual(state.counters);
    expect(state.pool.inventoryVersion).toBe(version + 1);
    expect(await getDb().event.findMany({ where: { correlationId }, orderBy: { seq: "asc" } })).toMatchObject([
      {
        type: "inventory.corrected",
        aggregateId: pool.poolId,
        aggregateVersion: version + 1,
        data: {
          available: 2,
          blocked: 1,
          inventory_version: version + 1,
          previous: { available: 3, blocked: 0 },
          discrepancy_id: holdable!.id,
          units: [{ unit_code: "A-100", from: "AVAILABLE", to: "BLOCKED" }],
        },
      },
    ]);
    expect(await getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" } })).toMatchObject([
      {
        actorType: "USER",
        actorId: opsLead.id,
        action: "discrepancy.correct",
        targetId: holdable!.id,
        result: "SUCCESS",
        reason: "block start lost",
        metadata: { kind: "HOLDABLE", changed: true, also_closed: [unitDrift!.id], units: [{ unit_code: "A-100", to: "BLOCKED" }] },
      },
    ]);
    expect(await openFor(pool.facilityId)).toEqual([]);
    await expectCleanRerun();

    // and now the pool advertises exactly what holds get
    expect(await advertised(pool)).toBe(2);
    expect([await holdCode(pool), await holdCode(pool), await holdCode(pool)]).toEqual(["A-102", "A-103", "INVENTORY_UNAVAILABLE"]);
    expect(await advertised(pool)).toBe(0);
  });

  it("a held unit shown AVAILABLE is refused to a new hold (not double-booked), and a scheduled run closes the gap by itself", async () => {
    const pool = await createFacilityWithPool({ units: 1 });
    const held = await createHold(holdInput(pool), partner.actor);
    // The bug: the unit and its pool were set back to available while the hold lives.
    await getDb().$transaction([
      getDb().$executeRaw`UPDATE units SET status = 'AVAILABLE' WHERE id = ${pool.unitIds[0]!}::uuid`,
      getDb().$executeRaw`UPDATE inventory_pools SET available = available + 1, held = held - 1 WHERE id = ${pool.poolId}::uuid`,
    ]);
    expect(await advertised(pool)).toBe(1);
    // a hold cannot take a unit a live booking stands on: refused, nothing changed
    expect(await holdCode(pool)).toBe("INVENTORY_UNAVAILABLE");
    expect(await getDb().booking.count({ where: { unitId: pool.unitIds[0]! } })).toBe(1);

    const correlationId = `cor_test_${crypto.randomUUID()}`;
    const result = await run({ trigger: "SCHEDULED", autoCorrect: true, correlationId });
    expect(result.summary).toMatchObject({ found: { HOLDABLE: 1, UNIT_STATUS: 1 }, autoCorrected: 1, awaitingApproval: 0 });
    expect(await getDb().unit.findUniqueOrThrow({ where: { id: pool.unitIds[0]! } })).toMatchObject({ status: "HELD" });
    const state = await poolState(pool.poolId);
    expect(state.counters).toEqual({ available: 0, held: 1, booked: 0, occupied: 0, blocked: 0 });
    expect(state.actual).toEqual(state.counters);
    expect((await getDb().event.findMany({ where: { correlationId } })).map((e) => e.type)).toEqual(["inventory.corrected"]);
    expect((await getDb().auditEntry.findMany({ where: { correlationId, action: "discrepancy.correct" } })).map((a) => a.actorLabel)).toEqual([
      "system:reconcile",
    ]);
    expect(await getDb().discrepancy.findMany({ where: { facilityId: pool.facilityId }, select: { status: true } })).toEqual([
      { status: "CORRECTED" },
      { status: "CORRECTED" },
    ]);
    expect(await advertised(pool)).toBe(0);
    expect((await getDb().booking.findUniqueOrThrow({ where: { reference: held.reference } })).status).toBe("TENTATIVE");
    await expectCleanRerun();
  });
});
