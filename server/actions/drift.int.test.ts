import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, mergedRunFields, poolState, type TestPool } from "../../test/factories";
import { createUser as createTestUser } from "../../test/user-factory";
import type { RequestMeta } from "../auth/request-meta";
import { disconnectDb, getDb } from "../db";
import { newId } from "../domain/shared/ids";
import { JOBS } from "../domain/shared/jobs";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { applyCorrectionAction, resolveDiscrepancyAction, startReconciliationAction } from "./drift";

afterAll(disconnectDb);

function meta(correlationId = `cor_action_${crypto.randomUUID()}`): RequestMeta {
  return { ip: "10.1.2.3", userAgent: "vitest", correlationId };
}

async function sessionUser(role: SessionUser["role"]): Promise<SessionUser> {
  const user = await loadSessionUser((await createTestUser({ role })).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

const auditsOf = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId }, orderBy: { id: "asc" } });

let opsLead: SessionUser;
let support: SessionUser;
let manager: SessionUser;

/**
 * A counter drift on a pool of this file's own, as a run would have stored it (the run
 * itself sweeps the whole database; reconciliation.int.test.ts runs it on its own one).
 */
async function counterDrift(): Promise<{ pool: TestPool; discrepancyId: string }> {
  const pool = await createFacilityWithPool({ units: 4 });
  await getDb().$executeRaw`UPDATE inventory_pools SET available = available - 1, held = held + 1 WHERE id = ${pool.poolId}::uuid`;
  const runId = newId("rec");
  await getDb().reconciliationRun.create({
    data: { id: runId, trigger: "MANUAL", status: "SUCCEEDED", kinds: ["counters"], finishedAt: new Date(), ...(await mergedRunFields()) },
  });
  const d = await getDb().discrepancy.create({
    data: {
      runId,
      kind: "POOL_COUNTER",
      severity: "HIGH",
      facilityId: pool.facilityId,
      poolId: pool.poolId,
      summary: "test drift",
      fingerprint: `POOL_COUNTER:${pool.poolId}`,
      expected: { total: 4, available: 4, held: 0, booked: 0, occupied: 0, blocked: 0 },
      actual: { total: 4, available: 3, held: 1, booked: 0, occupied: 0, blocked: 0, inventory_version: 0 },
    },
  });
  return { pool, discrepancyId: d.id };
}

beforeAll(async () => {
  [opsLead, support, manager] = await Promise.all([sessionUser("OPS_LEAD"), sessionUser("SUPPORT"), sessionUser("SITE_MANAGER")]);
});

describe("drift server actions check the caller themselves", () => {
  it("SUPPORT and a site manager are refused every drift action, audited as DENIED, and nothing changes", async () => {
    const { pool, discrepancyId } = await counterDrift();
    for (const user of [support, manager]) {
      const request = meta();
      const as = { user, meta: request };
      const results = await Promise.all([
        applyCorrectionAction.withRequest(as)({ discrepancyId, approve: true }),
        resolveDiscrepancyAction.withRequest(as)({ discrepancyId, resolution: "IGNORED", note: "not mine to ignore" }),
        startReconciliationAction.withRequest(as)({}),
      ]);
      expect(results.map((r) => r.ok === false && r.code)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
      const denied = await auditsOf(request.correlationId);
      expect(denied.map((a) => a.action).sort()).toEqual(["discrepancy.correct", "discrepancy.resolve", "reconciliation.run"]);
      expect(denied.filter((a) => a.result !== "DENIED" || a.targetId !== "reconciliation.run" || a.actorId !== user.id)).toEqual([]);
    }
    expect(await getDb().discrepancy.findUniqueOrThrow({ where: { id: discrepancyId } })).toMatchObject({ status: "OPEN", resolvedAt: null });
    expect((await poolState(pool.poolId)).counters).toMatchObject({ available: 3, held: 1 });
    expect(await getDb().event.count({ where: { aggregateId: pool.poolId } })).toBe(0);
  });

  it("a forged call without a session is refused and changes nothing", async () => {
    const { discrepancyId } = await counterDrift();
    const request = meta();
    const result = await applyCorrectionAction.withRequest({ user: null, meta: request })({ discrepancyId });
    expect(result).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await auditsOf(request.correlationId)).toEqual([]);
    expect((await getDb().discrepancy.findUniqueOrThrow({ where: { id: discrepancyId } })).status).toBe("OPEN");
  });

  it("invalid input is refused with field errors; nothing is changed or stored", async () => {
    const { discrepancyId } = await counterDrift();
    const request = meta();
    const as = { user: opsLead, meta: request };
    const bad = await applyCorrectionAction.withRequest(as)({ discrepancyId: "not-a-uuid", approve: "yes" } as never);
    expect(bad).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { discrepancyId: ["Choose a discrepancy."], approve: [expect.any(String)] } });
    const noNote = await resolveDiscrepancyAction.withRequest(as)({ discrepancyId, resolution: "IGNORED", note: " " });
    expect(noNote).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { note: ["Say why this drift is ignored."] } });
    const unknownField = await resolveDiscrepancyAction.withRequest(as)({ discrepancyId, resolution: "ACKNOWLEDGED", status: "CORRECTED" } as never);
    expect(unknownField).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
    const wrongCheck = await startReconciliationAction.withRequest(as)({ checks: ["everything"] } as never);
    expect(wrongCheck).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
    expect(await auditsOf(request.correlationId)).toEqual([]);
    expect((await getDb().discrepancy.findUniqueOrThrow({ where: { id: discrepancyId } })).status).toBe("OPEN");
  });

  it("an ops lead applies a correction (event + audit), acknowledges one, and cannot act twice on the same one", async () => {
    const { pool, discrepancyId } = await counterDrift();
    const request = meta();
    const as = { user: opsLead, meta: request };
    const applied = await applyCorrectionAction.withRequest(as)({ discrepancyId, note: "from the console" });
    expect(applied).toMatchObject({ ok: true, data: { discrepancyId, status: "CORRECTED", changed: true, eventIds: [expect.stringMatching(/^evt_/)] } });
    const { counters, actual } = await poolState(pool.poolId);
    expect(counters).toEqual(actual);
    expect(await getDb().event.findMany({ where: { correlationId: request.correlationId } })).toMatchObject([{ type: "inventory.corrected" }]);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      { action: "discrepancy.correct", actorId: opsLead.id, result: "SUCCESS", ip: "10.1.2.3", reason: "from the console" },
    ]);
    const again = await applyCorrectionAction.withRequest(as)({ discrepancyId });
    expect(again).toMatchObject({ ok: false, code: "CONFLICT", context: { current_status: "CORRECTED" } });
    const missing = await applyCorrectionAction.withRequest(as)({ discrepancyId: crypto.randomUUID() });
    expect(missing).toMatchObject({ ok: false, code: "NOT_FOUND" });

    const other = await counterDrift();
    const acknowledged = await resolveDiscrepancyAction.withRequest(as)({ discrepancyId: other.discrepancyId, resolution: "ACKNOWLEDGED" });
    expect(acknowledged).toMatchObject({ ok: true, data: { status: "ACKNOWLEDGED" } });
    expect((await poolState(other.pool.poolId)).counters).toMatchObject({ available: 3, held: 1 });
  });

  it("Run now queues one run for the worker (job in the same transaction); pressing again returns the same run", async () => {
    const request = meta();
    const as = { user: opsLead, meta: request };
    const first = await startReconciliationAction.withRequest(as)({ checks: ["counters", "access"] });
    expect(first).toMatchObject({ ok: true, data: { alreadyRunning: false, runId: expect.stringMatching(/^rec_/) } });
    if (!first.ok) return;
    const second = await startReconciliationAction.withRequest(as)({});
    expect(second).toMatchObject({ ok: true, data: { alreadyRunning: true, runId: first.data.runId } });
    expect(await getDb().reconciliationRun.findUniqueOrThrow({ where: { id: first.data.runId } })).toMatchObject({
      status: "RUNNING",
      trigger: "MANUAL",
      kinds: ["counters", "access"],
      requestedById: opsLead.id,
      scanned: { phase: "queued" },
    });
    const jobs = await getDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = ${JOBS.reconcile} AND j.payload->>'runId' = ${first.data.runId}`;
    expect(jobs[0]!.n).toBe(1);
    expect(await auditsOf(request.correlationId)).toMatchObject([{ action: "reconciliation.run", targetId: first.data.runId }]);
    // Leave no queued run behind for other files.
    await getDb().reconciliationRun.update({ where: { id: first.data.runId }, data: { status: "FAILED", error: "test" } });
  });
});
