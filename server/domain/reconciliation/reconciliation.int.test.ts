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
import { cancelBooking } from "../bookings/cancel-booking";
import { confirmBooking } from "../bookings/confirm-booking";
import { createHold } from "../bookings/create-hold";
import { fulfilBooking } from "../bookings/fulfil-booking";
import { recordAvailabilitySnapshot } from "../inventory/record-availability-snapshot";
import { DomainError } from "@/server/domain/shared/errors";
import { newId } from "@/server/domain/shared/ids";
import { applyCorrection, MERGE_LOCK } from "./apply-correction";
import { parseConfig, type ReconcileConfig } from "../../config";
import { getRunDetail } from "./queries";
import { resolveDiscrepancy } from "./resolve-discrepancy";
import { ReconciliationBusyError, runReconciliation } from "./run-reconciliation";

// A run sweeps every row in the database: this file gets a database of its own, so it
// neither reports other files' half-made states nor is disturbed by them. Each test breaks
// its own facility, in one of the ways docs/domain.md#reconciliation-and-corrections names,
// with raw SQL (the simulated bug), and repairs it before the next.
let dropDatabase: () => Promise<void>;
let partner: TestPartner;
let opsLead: TestUser;

const config: ReconcileConfig = { ...parseConfig({}).reconcile, counterTolerance: 1, holdGraceSeconds: 60, ackGraceSeconds: 0 };

beforeAll(async () => {
  process.env.DATABASE_POOL_MAX = "20";
  dropDatabase = await useOwnDatabase("reconcile");
  partner = await createPartner();
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(() => dropDatabase());

const run = (options: Parameters<typeof runReconciliation>[0] = {}) => runReconciliation({ trigger: "MANUAL", config, ...options });

async function openFor(facilityId: string) {
  return getDb().discrepancy.findMany({ where: { facilityId, status: "OPEN" }, orderBy: { kind: "asc" } });
}

/** The discrepancies a run's report lists (what it saw). */
async function seenBy(runId: string) {
  return (await getRunDetail(opsLead.actor, { runId })).discrepancies.map((d) => d.id);
}

async function eventsOf(correlationId: string) {
  return getDb().event.findMany({ where: { correlationId }, orderBy: { seq: "asc" } });
}

async function auditsOf(correlationId: string) {
  return getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" } });
}

function withCorrelation(user: TestUser) {
  const correlationId = `cor_test_${crypto.randomUUID()}`;
  return { actor: { ...user.actor, correlationId }, correlationId };
}

async function unitId(pool: TestPool, index: number) {
  return pool.unitIds[index]!;
}

/** After the fix: a new run finds nothing anywhere (every test leaves the database clean). */
async function expectCleanRerun() {
  const result = await run();
  expect(result.summary.found).toEqual({
    POOL_COUNTER: 0,
    HOLDABLE: 0,
    UNIT_STATUS: 0,
    EXPIRED_HOLD: 0,
    PARTNER_SNAPSHOT: 0,
    PARTNER_VERSION: 0,
    ACCESS_GRANT: 0,
  });
  expect(await getDb().discrepancy.count({ where: { status: "OPEN" } })).toBe(0);
}

describe("counters vs facts", () => {
  it("a pool counter nudged by a bug is found once, expected beside actual, and corrected with inventory.corrected + audit", async () => {
    const pool = await createFacilityWithPool({ units: 5 });
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 1, blocked = blocked + 1 WHERE id = ${pool.poolId}::uuid`;

    const first = await run();
    expect(first.summary.found).toMatchObject({ POOL_COUNTER: 1, HOLDABLE: 1 });
    // the same bug is also a gap between what the pool advertises and what a hold can take
    const [d, holdable] = await openFor(pool.facilityId);
    expect((await openFor(pool.facilityId)).map((o) => o.kind)).toEqual(["POOL_COUNTER", "HOLDABLE"]);
    expect(holdable).toMatchObject({ poolId: pool.poolId, severity: "MEDIUM", expected: { available: 5 }, actual: { available: 4, unholdable_units: [] } });
    expect(d).toMatchObject({
      kind: "POOL_COUNTER",
      poolId: pool.poolId,
      severity: "HIGH",
      expected: { total: 5, available: 5, held: 0, booked: 0, occupied: 0, blocked: 0 },
      actual: { total: 5, available: 4, held: 0, booked: 0, occupied: 0, blocked: 1, inventory_version: 0 },
    });
    expect(await seenBy(first.runId)).toEqual(expect.arrayContaining([d!.id, holdable!.id]));

    const { actor, correlationId } = withCorrelation(opsLead);
    const result = await applyCorrection({ discrepancyId: d!.id, note: "nudged by the import bug" }, actor, { config });
    expect(result).toMatchObject({ status: "CORRECTED", changed: true });

    const { counters, actual, pool: after } = await poolState(pool.poolId);
    expect(counters).toEqual(actual);
    expect(after.inventoryVersion).toBe(1);
    expect(await eventsOf(correlationId)).toMatchObject([
      {
        type: "inventory.corrected",
        aggregateType: "pool",
        aggregateId: pool.poolId,
        aggregateVersion: 1,
        data: { available: 5, blocked: 0, inventory_version: 1, previous: { available: 4, blocked: 1 }, discrepancy_id: d!.id },
      },
    ]);
    expect(await auditsOf(correlationId)).toMatchObject([
      {
        actorType: "USER",
        actorId: opsLead.id,
        action: "discrepancy.correct",
        targetId: d!.id,
        result: "SUCCESS",
        reason: "nudged by the import bug",
        metadata: { also_closed: [holdable!.id] },
      },
    ]);
    expect(await getDb().discrepancy.findUniqueOrThrow({ where: { id: d!.id } })).toMatchObject({ status: "CORRECTED", resolvedById: opsLead.id });
    expect(await getDb().discrepancy.findUniqueOrThrow({ where: { id: holdable!.id } })).toMatchObject({ status: "CORRECTED" });
    await expectCleanRerun();
  });

  it("beyond the tolerance a correction needs an ops lead's explicit approval; a scheduled run leaves it alone", async () => {
    const pool = await createFacilityWithPool({ units: 6 });
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 3, held = held + 3 WHERE id = ${pool.poolId}::uuid`;

    const scheduled = await run({ trigger: "SCHEDULED", autoCorrect: true });
    // POOL_COUNTER and HOLDABLE (available 3, a hold can take 6): both beyond the tolerance
    expect(scheduled.summary).toMatchObject({ autoCorrected: 0, awaitingApproval: 2 });
    const [d] = await openFor(pool.facilityId);
    expect(d).toMatchObject({ kind: "POOL_COUNTER", expected: { available: 6, held: 0 }, actual: { available: 3, held: 3 } });

    const { actor, correlationId } = withCorrelation(opsLead);
    const refused = await applyCorrection({ discrepancyId: d!.id }, actor, { config }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "CONFLICT", context: { requires_approval: true, tolerance: 1 } });
    expect((await poolState(pool.poolId)).counters).toMatchObject({ available: 3, held: 3 });
    expect(await eventsOf(correlationId)).toEqual([]);

    await applyCorrection({ discrepancyId: d!.id, approve: true }, actor, { config });
    const { counters, actual } = await poolState(pool.poolId);
    expect(counters).toEqual(actual);
    expect(await auditsOf(correlationId)).toMatchObject([{ action: "discrepancy.correct", metadata: { beyond_tolerance: true, approved: true } }]);
    await expectCleanRerun();
  });

  it("within the tolerance a scheduled run corrects by itself, with the same event and audit entry (actor system)", async () => {
    const pool = await createFacilityWithPool({ units: 4 });
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 1, booked = booked + 1 WHERE id = ${pool.poolId}::uuid`;
    const correlationId = `cor_test_${crypto.randomUUID()}`;

    const result = await run({ trigger: "SCHEDULED", autoCorrect: true, correlationId });
    // one recount settles both the counter drift and the holdable gap it makes
    expect(result.summary).toMatchObject({ autoCorrected: 1, awaitingApproval: 0, found: { POOL_COUNTER: 1, HOLDABLE: 1 } });
    expect((await poolState(pool.poolId)).counters).toMatchObject({ available: 4, booked: 0 });
    expect(await eventsOf(correlationId)).toMatchObject([{ type: "inventory.corrected", aggregateId: pool.poolId }]);
    expect(await auditsOf(correlationId)).toMatchObject([{ actorType: "SYSTEM", actorLabel: "system:reconcile", action: "discrepancy.correct" }]);
    await expectCleanRerun();
  });

  it("a unit BOOKED with no booking (counters moved with it) is a unit-status drift only; correcting frees it", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const unit = await unitId(pool, 1);
    await getDb().$transaction([
      getDb().$executeRaw`UPDATE units SET status = 'BOOKED' WHERE id = ${unit}::uuid`,
      getDb().$executeRaw`UPDATE inventory_pools SET available = available - 1, booked = booked + 1 WHERE id = ${pool.poolId}::uuid`,
    ]);

    await run();
    const found = await openFor(pool.facilityId);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: "UNIT_STATUS",
      unitId: unit,
      severity: "HIGH",
      expected: { status: "AVAILABLE", booking_reference: null, active_block: false },
      actual: { status: "BOOKED" },
    });

    const { actor, correlationId } = withCorrelation(opsLead);
    await applyCorrection({ discrepancyId: found[0]!.id }, actor, { config });
    expect(await getDb().unit.findUniqueOrThrow({ where: { id: unit } })).toMatchObject({ status: "AVAILABLE" });
    const { counters, actual } = await poolState(pool.poolId);
    expect(counters).toEqual(actual);
    expect(await eventsOf(correlationId)).toMatchObject([
      { type: "inventory.corrected", data: { unit: { unit_code: "A-101", from: "BOOKED", to: "AVAILABLE" }, available: 3, booked: 0 } },
    ]);
    await expectCleanRerun();
  });

  it("a held unit shown AVAILABLE (oversell risk) is CRITICAL, and an active block on an AVAILABLE unit is found; both corrected", async () => {
    const pool = await createFacilityWithPool({ units: 4 });
    const held = await createHold(holdInput(pool), partner.actor);
    const heldUnit = (await getDb().booking.findUniqueOrThrow({ where: { reference: held.reference } })).unitId;
    const blockedUnit = pool.unitIds.find((id) => id !== heldUnit)!;
    await getDb().$transaction([
      getDb().$executeRaw`UPDATE units SET status = 'AVAILABLE' WHERE id = ${heldUnit}::uuid`,
      getDb().$executeRaw`UPDATE inventory_pools SET available = available + 1, held = held - 1 WHERE id = ${pool.poolId}::uuid`,
      getDb().maintenanceBlock.create({
        data: { facilityId: pool.facilityId, unitId: blockedUnit, reason: "DAMAGE", status: "ACTIVE", startsAt: new Date(), startedAt: new Date() },
      }),
    ]);

    await run();
    const [holdable, ...found] = (await openFor(pool.facilityId)).reverse();
    expect(found).toHaveLength(2);
    // the pool advertises 4; a hold can take neither the held unit nor the blocked one
    expect(holdable).toMatchObject({
      kind: "HOLDABLE",
      poolId: pool.poolId,
      severity: "HIGH",
      expected: { available: 2 },
      actual: { available: 4, unholdable_units: [held.unitCode, (await getDb().unit.findUniqueOrThrow({ where: { id: blockedUnit } })).code].sort() },
    });
    const byUnit = new Map(found.map((d) => [d.unitId, d]));
    expect(byUnit.get(heldUnit)).toMatchObject({
      kind: "UNIT_STATUS",
      severity: "CRITICAL",
      expected: { status: "HELD", booking_reference: held.reference, booking_status: "TENTATIVE" },
      actual: { status: "AVAILABLE" },
    });
    expect(byUnit.get(blockedUnit)).toMatchObject({ kind: "UNIT_STATUS", expected: { status: "BLOCKED", active_block: true }, actual: { status: "AVAILABLE" } });

    const { actor } = withCorrelation(opsLead);
    for (const d of found) await applyCorrection({ discrepancyId: d.id }, actor, { config });
    expect((await getDb().unit.findUniqueOrThrow({ where: { id: heldUnit } })).status).toBe("HELD");
    expect((await getDb().unit.findUniqueOrThrow({ where: { id: blockedUnit } })).status).toBe("BLOCKED");
    const { counters, actual } = await poolState(pool.poolId);
    expect(counters).toEqual(actual);
    expect(counters).toMatchObject({ held: 1, blocked: 1, available: 2 });
    // fixing the units settled the pool's holdable gap as well
    expect(await getDb().discrepancy.findUniqueOrThrow({ where: { id: holdable!.id } })).toMatchObject({ status: "CORRECTED" });
    await expectCleanRerun();
  });

  it("a hold expired long ago that still holds its unit is found once (not also as a unit drift) and expiring it needs approval", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const held = await createHold(holdInput(pool), partner.actor);
    await getDb().$executeRaw`UPDATE bookings SET hold_expires_at = now() - interval '10 minutes' WHERE reference = ${held.reference}`;

    await run();
    const found = await openFor(pool.facilityId);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: "EXPIRED_HOLD",
      expected: { booking_status: "EXPIRED", unit_status: "AVAILABLE" },
      actual: { booking_status: "TENTATIVE", unit_status: "HELD", reference: held.reference },
    });

    const { actor, correlationId } = withCorrelation(opsLead);
    await expect(applyCorrection({ discrepancyId: found[0]!.id }, actor, { config })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await getDb().booking.findUniqueOrThrow({ where: { reference: held.reference } })).status).toBe("TENTATIVE");

    await applyCorrection({ discrepancyId: found[0]!.id, approve: true }, actor, { config });
    expect(await getDb().booking.findUniqueOrThrow({ where: { reference: held.reference } })).toMatchObject({ status: "EXPIRED" });
    expect((await eventsOf(correlationId)).map((e) => e.type)).toEqual(["booking.expired", "inventory.corrected"]);
    const { counters, actual } = await poolState(pool.poolId);
    expect(counters).toEqual(actual);
    expect(counters.held).toBe(0);
    await expectCleanRerun();
  });
});

describe("access grants vs booking states", () => {
  async function movedIn(pool: TestPool) {
    const held = await createHold(holdInput(pool), partner.actor);
    await confirmBooking(held.reference, partner.actor);
    await fulfilBooking(held.reference, opsLead.actor);
    return getDb().booking.findUniqueOrThrow({ where: { reference: held.reference } });
  }

  it("an active code on a cancelled booking is CRITICAL and revoked with access.revoked; a moved-in booking without one gets a new code", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    const cancelled = await movedIn(pool);
    await cancelBooking(cancelled.reference, { reason: "move-out" }, opsLead.actor);
    // The bug: the revoke never reached the grant.
    await getDb().$executeRaw`UPDATE access_grants SET status = 'ACTIVE', revoked_at = NULL WHERE booking_id = ${cancelled.id}::uuid`;
    const living = await movedIn(pool);
    await getDb().$executeRaw`UPDATE access_grants SET status = 'REVOKED', revoked_at = now() WHERE booking_id = ${living.id}::uuid`;

    await run();
    const found = await openFor(pool.facilityId);
    expect(found).toHaveLength(2);
    const byBooking = new Map(found.map((d) => [d.bookingId, d]));
    expect(byBooking.get(cancelled.id)).toMatchObject({
      kind: "ACCESS_GRANT",
      severity: "CRITICAL",
      expected: { grant_status: "REVOKED", booking_status: "CANCELLED" },
      actual: { grant_status: "ACTIVE" },
    });
    expect(byBooking.get(living.id)).toMatchObject({
      kind: "ACCESS_GRANT",
      severity: "HIGH",
      expected: { grant_status: "ACTIVE", booking_status: "FULFILLED" },
      actual: { grant_status: "REVOKED" },
    });

    const { actor, correlationId } = withCorrelation(opsLead);
    // Any access change needs approval.
    await expect(applyCorrection({ discrepancyId: byBooking.get(cancelled.id)!.id }, actor, { config })).rejects.toMatchObject({
      context: { requires_approval: true },
    });
    await applyCorrection({ discrepancyId: byBooking.get(cancelled.id)!.id, approve: true }, actor, { config });
    await applyCorrection({ discrepancyId: byBooking.get(living.id)!.id, approve: true }, actor, { config });
    expect(await getDb().accessGrant.count({ where: { bookingId: cancelled.id, status: "ACTIVE" } })).toBe(0);
    expect(await getDb().accessGrant.count({ where: { bookingId: living.id, status: "ACTIVE" } })).toBe(1);
    expect((await eventsOf(correlationId)).map((e) => [e.type, e.bookingId])).toEqual([
      ["access.revoked", cancelled.id],
      ["access.granted", living.id],
    ]);
    expect((await auditsOf(correlationId)).map((a) => a.action)).toEqual(["discrepancy.correct", "discrepancy.correct"]);
    await expectCleanRerun();
  });
});

describe("partners", () => {
  it("a partner snapshot that disagrees is found once and corrected by re-announcing the pool, not by editing the partner's data", async () => {
    const pool = await createFacilityWithPool({ units: 5 });
    await createHold(holdInput(pool), partner.actor);
    const snapshot = await recordAvailabilitySnapshot(
      { facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, available: 5, inventory_version: 1 },
      partner.actor,
    );

    await run();
    const found = await openFor(pool.facilityId);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: "PARTNER_SNAPSHOT",
      severity: "HIGH",
      partnerId: partner.id,
      expected: { available: 4 },
      actual: { available: 5, inventory_version: 1, snapshot_id: snapshot.id },
    });

    const { actor, correlationId } = withCorrelation(opsLead);
    await applyCorrection({ discrepancyId: found[0]!.id }, actor, { config });
    expect(await eventsOf(correlationId)).toMatchObject([
      { type: "inventory.corrected", aggregateId: pool.poolId, aggregateVersion: 2, data: { available: 4, inventory_version: 2, reannounced: true } },
    ]);
    expect(await getDb().availabilitySnapshot.findUniqueOrThrow({ where: { id: snapshot.id } })).toMatchObject({ available: 5 });
    await expectCleanRerun();

    // The partner reports the same wrong number again after the re-announcement: new drift.
    await recordAvailabilitySnapshot(
      { facility_code: pool.facilityCode, unit_type_code: pool.unitTypeCode, available: 5, inventory_version: 2 },
      partner.actor,
    );
    await run();
    expect(await openFor(pool.facilityId)).toMatchObject([{ kind: "PARTNER_SNAPSHOT", actual: { inventory_version: 2 } }]);
    await applyCorrection({ discrepancyId: (await openFor(pool.facilityId))[0]!.id }, actor, { config });
    await getDb().availabilitySnapshot.deleteMany({ where: { poolId: pool.poolId } });
    await expectCleanRerun();
  });

  it("an endpoint that missed inventory versions is found with its lag and gaps; the re-announcement it acknowledges settles it", async () => {
    const pool = await createFacilityWithPool({ units: 5 });
    const endpointId = newId("ep");
    await getDb().webhookEndpoint.create({
      data: { id: endpointId, partnerId: partner.id, url: "https://partner.example/hooks", secretCiphertext: "unused-in-this-test" },
    });
    for (let i = 0; i < 3; i++) await createHold(holdInput(pool), partner.actor);
    // It acknowledged v1; v2 went dead, v3 was never delivered.
    await getDb().endpointPoolAck.create({ data: { endpointId, poolId: pool.poolId, ackedVersion: 1, ackedAt: new Date() } });
    const v2 = await getDb().event.findFirstOrThrow({ where: { aggregateId: pool.poolId, aggregateVersion: 2 } });
    await getDb().webhookDelivery.create({ data: { id: newId("msg"), endpointId, eventId: v2.id, status: "DEAD", attemptCount: 8 } });

    await run();
    const found = await openFor(pool.facilityId);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: "PARTNER_VERSION",
      severity: "HIGH",
      endpointId,
      partnerId: partner.id,
      expected: { inventory_version: 3 },
      actual: { acked_version: 1, lag_versions: 2, missed_versions: [2, 3], pending_versions: 0 },
    });

    const { actor, correlationId } = withCorrelation(opsLead);
    await applyCorrection({ discrepancyId: found[0]!.id }, actor, { config });
    const [announced] = await eventsOf(correlationId);
    expect(announced).toMatchObject({ type: "inventory.corrected", aggregateVersion: 4 });
    // Not acknowledged yet (and past the grace): still behind, reported again.
    await run();
    expect(await openFor(pool.facilityId)).toMatchObject([{ kind: "PARTNER_VERSION", actual: { acked_version: 1, lag_versions: 3 } }]);
    // The endpoint answers 2xx to the re-announcement: it is up to date.
    await getDb().webhookDelivery.create({ data: { id: newId("msg"), endpointId, eventId: announced!.id, status: "SUCCEEDED", attemptCount: 1 } });
    await expectCleanRerun();
  });
  it("an endpoint sent versions of a pool that it never acknowledged is behind from the first one sent", async () => {
    const pool = await createFacilityWithPool({ units: 5 });
    const endpointId = newId("ep");
    await getDb().webhookEndpoint.create({
      data: { id: endpointId, partnerId: partner.id, url: "https://partner.example/never", secretCiphertext: "unused-in-this-test" },
    });
    for (let i = 0; i < 3; i++) await createHold(holdInput(pool), partner.actor);
    // Onboarded after v1: v2 went dead, v3 is still being retried; no acknowledgement at all.
    const [v2, v3] = await Promise.all(
      [2, 3].map((v) => getDb().event.findFirstOrThrow({ where: { aggregateId: pool.poolId, aggregateVersion: v } })),
    );
    await getDb().webhookDelivery.create({ data: { id: newId("msg"), endpointId, eventId: v2!.id, status: "DEAD", attemptCount: 8 } });
    await getDb().webhookDelivery.create({ data: { id: newId("msg"), endpointId, eventId: v3!.id, status: "RETRYING", attemptCount: 2 } });

    await run();
    const found = await openFor(pool.facilityId);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: "PARTNER_VERSION",
      severity: "HIGH",
      endpointId,
      expected: { inventory_version: 3 },
      actual: { acked_version: null, lag_versions: 2, missed_versions: [2], pending_versions: 1 },
    });
    expect(found[0]!.summary).toContain("never acknowledged");

    const { actor, correlationId } = withCorrelation(opsLead);
    await applyCorrection({ discrepancyId: found[0]!.id }, actor, { config });
    const [announced] = await eventsOf(correlationId);
    expect(announced).toMatchObject({ type: "inventory.corrected", aggregateVersion: 4 });
    // The endpoint answers 2xx to the re-announcement; the dispatcher records it as the
    // pool's acknowledged version (attempt-delivery.ts), and it is up to date.
    await getDb().webhookDelivery.create({ data: { id: newId("msg"), endpointId, eventId: announced!.id, status: "SUCCEEDED", attemptCount: 1 } });
    await getDb().endpointPoolAck.create({ data: { endpointId, poolId: pool.poolId, ackedVersion: 4, ackedAt: new Date() } });
    await expectCleanRerun();
  });
});

describe("re-runs, resolutions and concurrency", () => {
  it("the same drift found twice is one open discrepancy seen by both runs; concurrent runs do not double-report", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 2, occupied = occupied + 2 WHERE id = ${pool.poolId}::uuid`;

    const first = await run();
    const second = await run();
    // the counter drift and the holdable gap it makes: each one open discrepancy
    expect(second.summary).toMatchObject({ opened: 0, stillOpen: 2 });
    const open = await openFor(pool.facilityId);
    expect(open.map((d) => d.kind)).toEqual(["POOL_COUNTER", "HOLDABLE"]);
    for (const d of open) {
      expect(d.runId).toBe(first.runId);
      expect(await seenBy(first.runId)).toContain(d.id);
      expect(await seenBy(second.runId)).toContain(d.id);
    }

    const results = await Promise.allSettled([run(), run(), run()]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const busy = results.filter((r) => r.status === "rejected");
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of busy) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ReconciliationBusyError);
    expect(await openFor(pool.facilityId)).toHaveLength(2);
    expect(await getDb().discrepancy.count({ where: { facilityId: pool.facilityId } })).toBe(2);

    const { actor } = withCorrelation(opsLead);
    await applyCorrection({ discrepancyId: open[0]!.id, approve: true }, actor, { config });
    await expectCleanRerun();
  });

  it("a run's report lists what it saw: open drift in every run of its checks since it opened, closed drift up to its closing; a close waits for a merge", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 1, held = held + 1 WHERE id = ${pool.poolId}::uuid`;
    const first = await run();
    const [d, holdable] = await openFor(pool.facilityId);
    expect([d!.kind, holdable!.kind]).toEqual(["POOL_COUNTER", "HOLDABLE"]);
    // a run of other checks did not look at counters; the next full run did
    const partnersOnly = await run({ checks: ["partners"] });
    const second = await run();
    expect(await seenBy(partnersOnly.runId)).not.toContain(d!.id);
    expect(await seenBy(second.runId)).toEqual(expect.arrayContaining([d!.id, holdable!.id]));

    const { actor } = withCorrelation(opsLead);
    await resolveDiscrepancy({ discrepancyId: d!.id, resolution: "IGNORED", note: "being rebuilt" }, actor);
    // While a run merges its findings (it holds the merge lock), a close waits for it.
    let release!: () => void;
    let locked!: () => void;
    const holding = new Promise<void>((resolve) => (locked = resolve));
    const merge = getDb().$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MERGE_LOCK[0]}::int, ${MERGE_LOCK[1]}::int)`;
      locked();
      await new Promise<void>((resolve) => (release = resolve));
    });
    await holding;
    let closed = false;
    const closing = resolveDiscrepancy({ discrepancyId: holdable!.id, resolution: "ACKNOWLEDGED", note: "" }, actor).then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(closed).toBe(false);
    expect((await getDb().discrepancy.findUniqueOrThrow({ where: { id: holdable!.id } })).status).toBe("OPEN");
    release();
    await merge;
    await closing;

    const third = await run();
    // closed before the third run: in the earlier runs' reports, not in its
    expect(await seenBy(third.runId)).not.toContain(d!.id);
    expect(await seenBy(third.runId)).not.toContain(holdable!.id);
    for (const earlier of [first, second]) expect(await seenBy(earlier.runId)).toEqual(expect.arrayContaining([d!.id, holdable!.id]));
    const report = await getRunDetail(opsLead.actor, { runId: second.runId });
    expect(report.discrepancies.find((r) => r.id === d!.id)).toMatchObject({ status: "IGNORED" });

    await getDb().$executeRaw`UPDATE inventory_pools SET available = available + 1, held = held - 1 WHERE id = ${pool.poolId}::uuid`;
    await expectCleanRerun();
  });

  it("ignored drift (with a note, audited) is not reopened until its state changes; acknowledged likewise", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 1, held = held + 1 WHERE id = ${pool.poolId}::uuid`;
    await run();
    // the counter drift, and the holdable gap it makes (2 advertised, 3 a hold can take)
    const [d, holdable] = await openFor(pool.facilityId);
    expect([d!.kind, holdable!.kind]).toEqual(["POOL_COUNTER", "HOLDABLE"]);

    const { actor, correlationId } = withCorrelation(opsLead);
    await resolveDiscrepancy({ discrepancyId: d!.id, resolution: "IGNORED", note: "test pool, being rebuilt" }, actor);
    expect(await auditsOf(correlationId)).toMatchObject([{ action: "discrepancy.ignore", targetId: d!.id, reason: "test pool, being rebuilt" }]);
    await expect(resolveDiscrepancy({ discrepancyId: d!.id, resolution: "ACKNOWLEDGED", note: "" }, actor)).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await run();
    expect((await openFor(pool.facilityId)).map((o) => o.id)).toEqual([holdable!.id]);
    await resolveDiscrepancy({ discrepancyId: holdable!.id, resolution: "IGNORED", note: "test pool, being rebuilt" }, actor);
    await run();
    expect(await openFor(pool.facilityId)).toEqual([]);

    // The pool changes (a hold): the drift is a new state, reported again.
    await createHold(holdInput(pool), partner.actor);
    await run();
    const reopened = await openFor(pool.facilityId);
    expect(reopened.map((r) => r.kind)).toEqual(["POOL_COUNTER", "HOLDABLE"]);
    expect(reopened.map((r) => r.id)).not.toContain(d!.id);
    expect(reopened.map((r) => r.id)).not.toContain(holdable!.id);
    for (const r of reopened) await resolveDiscrepancy({ discrepancyId: r.id, resolution: "ACKNOWLEDGED", note: "" }, actor);
    await run();
    expect(await openFor(pool.facilityId)).toEqual([]);

    // Fixed outside reconciliation: nothing open, and the next run finds nothing.
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available + 1, held = held - 1 WHERE id = ${pool.poolId}::uuid`;
    await expectCleanRerun();
  });

  it("drift that goes away by itself is closed by the next run, audited", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 1, held = held + 1 WHERE id = ${pool.poolId}::uuid`;
    await run();
    const [d] = await openFor(pool.facilityId);
    expect(d!.kind).toBe("POOL_COUNTER");
    await getDb().$executeRaw`UPDATE inventory_pools SET available = available + 1, held = held - 1 WHERE id = ${pool.poolId}::uuid`;
    const result = await run();
    // the counter drift and the holdable gap it made
    expect(result.summary.cleared).toBe(2);
    expect(await getDb().discrepancy.findUniqueOrThrow({ where: { id: d!.id } })).toMatchObject({ status: "CORRECTED" });
    expect(await getDb().auditEntry.count({ where: { action: "discrepancy.clear", targetId: d!.id, actorType: "SYSTEM" } })).toBe(1);
  });
});
