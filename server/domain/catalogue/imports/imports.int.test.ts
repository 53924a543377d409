import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUnitType,
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolInvariantViolations,
  type TestPartner,
  type TestPool,
  type TestUser,
  refusalOf,
} from "../../../../test/factories";
import { disconnectDb, getDb } from "../../../db";
import { createHold } from "../../bookings/create-hold";
import type { Actor } from "@/server/domain/shared/actor";
import { type DomainError } from "@/server/domain/shared/errors";
import { applyImport } from "./apply-import";
import { cancelImport } from "./cancel-import";
import { createImport } from "./create-import";
import { getImport } from "./get-import";
import { recoverStalledImports, runImport } from "./run-import";

// docs/domain.md#catalogue-imports, rule by rule, against real PostgreSQL. The runner is
// called directly (the worker's task does nothing more); small batches, no pause.
process.env.HOLDFAST_IMPORT_BATCH_ROWS = "50";
process.env.HOLDFAST_IMPORT_BATCH_PAUSE_MS = "0";

let opsLead: TestUser;
let support: TestUser;

beforeAll(async () => {
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
  support = await createConsoleUser({ role: "SUPPORT" });
});
afterAll(disconnectDb);

function fresh(actor: Actor): Actor {
  return { ...actor, correlationId: `cor_test_${crypto.randomUUID()}` };
}


/** A facility with 5 units of 10X10 (A-100…A-104, floor 0) and 2 of a second type SMALL. */
async function site(): Promise<TestPool & { smallPoolId: string }> {
  const pool = await createFacilityWithPool({ units: 5 });
  const small = await addUnitType(pool.facilityId, "SMALL", 2);
  return { ...pool, smallPoolId: small.poolId };
}

async function unitsAt(facilityId: string) {
  return getDb().unit.findMany({ where: { facilityId }, orderBy: { code: "asc" }, select: { code: true, floor: true, status: true, unitType: { select: { code: true } } } });
}

/** Waits (up to about 5 s) until the import's first batch has committed. */
async function untilFirstBatch(id: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { processed } = await getDb().catalogueImport.findUniqueOrThrow({ where: { id }, select: { processed: true } });
    if (processed > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function csv(lines: string[]): string {
  return ["code,unit_type_code,floor,retired", ...lines].join("\n");
}

describe("planning (the dry run)", () => {
  it("gives each row what applying it would do, with row errors by line, and changes nothing", async () => {
    const s = await site();
    const before = await unitsAt(s.facilityId);
    const file = csv([
      "N-1,10X10,0,", // 2: add
      "N-2,SMALL,1,no", // 3: add
      "A-100,SMALL,0,", // 4: change type
      "A-101,10X10,3,", // 5: change floor
      "A-102,10X10,0,yes", // 6: retire
      "A-103,10X10,0,", // 7: unchanged
      "N-3,HUGE,0,", // 8: unknown type
      "N-4,10X10,up,", // 9: bad floor
      "N-1,10X10,0,", // 10: duplicate
      "Z-9,10X10,0,yes", // 11: retire a unit that does not exist
      "bad code!,10X10,0,", // 12: invalid code
    ]);
    const actor = fresh(opsLead.actor);
    const created = await createImport({ facility_code: s.facilityCode, csv: file, file_name: "units.csv" }, actor);
    expect(created).toMatchObject({ status: "PLANNING", dryRun: true, format: "csv", fileName: "units.csv", plan: { rows: 11 } });
    expect(created.id).toMatch(/^imp_[0-9a-z]{26}$/);

    expect((await runImport(created.id)).outcome).toBe("planned");
    const planned = await getImport({ import_id: created.id }, opsLead.actor);
    expect(planned.status).toBe("PLANNED");
    expect(planned.plan).toEqual({ rows: 11, add: 2, change: 2, retire: 1, unchanged: 1, errors: 5 });
    expect(planned.rows.map((r) => [r.line, r.error?.code, r.error?.field])).toEqual([
      [8, "NOT_FOUND", "unit_type_code"],
      [9, "VALIDATION_FAILED", "floor"],
      [10, "VALIDATION_FAILED", "code"],
      [11, "NOT_FOUND", "code"],
      [12, "VALIDATION_FAILED", "code"],
    ]);
    expect(planned.rows.find((r) => r.line === 10)!.error!.message).toContain("first on line 2");
    const changes = await getImport({ import_id: created.id, rows: "changes" }, opsLead.actor);
    expect(changes.rows.map((r) => [r.line, r.action, r.before?.unit_type_code ?? null])).toEqual([
      [2, "ADD", null],
      [3, "ADD", null],
      [4, "CHANGE", "10X10"],
      [5, "CHANGE", "10X10"],
      [6, "RETIRE", "10X10"],
    ]);
    // a dry run changed no unit, and a second run of the runner does nothing more
    expect(await unitsAt(s.facilityId)).toEqual(before);
    expect((await runImport(created.id)).outcome).toBe("already_ended");
    expect(await getDb().auditEntry.findMany({ where: { correlationId: actor.correlationId }, select: { action: true } })).toEqual([{ action: "catalogue.import" }]);
  });

  it("refuses a file that cannot be read at all, and stores nothing", async () => {
    const s = await site();
    const count = () => getDb().catalogueImport.count({ where: { facilityId: s.facilityId } });
    for (const bad of ["code,unit_type_code,colour\nX,10X10,red", "unit_type_code\n10X10", "", 'code,unit_type_code\n"A-1,10X10']) {
      const error = await refusalOf(createImport({ facility_code: s.facilityCode, csv: bad }, opsLead.actor));
      expect(error.code, bad).toBe("VALIDATION_FAILED");
      expect(error.fieldErrors?.[0]?.path).toBe("csv");
    }
    expect((await refusalOf(createImport({ facility_code: s.facilityCode }, opsLead.actor))).code).toBe("VALIDATION_FAILED");
    expect((await refusalOf(createImport({ facility_code: s.facilityCode, units: [] }, opsLead.actor))).code).toBe("VALIDATION_FAILED");
    expect(await count()).toBe(0);
  });

  it("reads JSON rows the same way, a row's line being its position", async () => {
    const s = await site();
    const created = await createImport(
      { facility_code: s.facilityCode, units: [{ code: "J-1", unit_type_code: "10X10", floor: 2 }, { code: "J-2", unit_type_code: "10X10", colour: "red" }, { code: "A-104", unit_type_code: "10X10", retired: true }] },
      opsLead.actor,
    );
    await runImport(created.id);
    const planned = await getImport({ import_id: created.id }, opsLead.actor);
    expect(planned.plan).toMatchObject({ rows: 3, add: 1, retire: 1, errors: 1 });
    expect(planned.rows).toMatchObject([{ line: 2, action: "ERROR", error: { code: "VALIDATION_FAILED" } }]);
  });
});

describe("applying", () => {
  it("applies every planned row once, moving the pools and their versions, with events and audit", async () => {
    const s = await site();
    const file = csv(["N-1,10X10,0,", "N-2,SMALL,1,", "A-100,SMALL,0,", "A-101,10X10,3,", "A-102,10X10,0,yes", "A-103,10X10,0,", "N-3,HUGE,0,"]);
    const created = await createImport({ facility_code: s.facilityCode, csv: file }, fresh(opsLead.actor));
    await runImport(created.id);
    const applying = await applyImport({ import_id: created.id }, opsLead.actor);
    expect(applying).toMatchObject({ status: "APPLYING", changed: true });
    expect((await applyImport({ import_id: created.id }, opsLead.actor)).changed).toBe(false);
    expect((await runImport(created.id)).outcome).toBe("completed");

    const done = await getImport({ import_id: created.id }, opsLead.actor);
    expect(done.status).toBe("COMPLETED");
    expect(done.progress).toEqual({ toApply: 5, processed: 5, added: 2, changed: 2, retired: 1, failed: 0, percent: 100 });
    const units = Object.fromEntries((await unitsAt(s.facilityId)).map((u) => [u.code, [u.unitType.code, u.floor, u.status]]));
    expect(units).toMatchObject({
      "N-1": ["10X10", 0, "AVAILABLE"],
      "N-2": ["SMALL", 1, "AVAILABLE"],
      "A-100": ["SMALL", 0, "AVAILABLE"],
      "A-101": ["10X10", 3, "AVAILABLE"],
      "A-102": ["10X10", 0, "RETIRED"],
      "A-103": ["10X10", 0, "AVAILABLE"],
    });
    expect(units["N-3"]).toBeUndefined();
    const pools = await getDb().inventoryPool.findMany({ where: { facilityId: s.facilityId }, select: { id: true, total: true, available: true } });
    // 10X10: 5 + N-1 − A-100 − A-102 = 4; SMALL: 2 + N-2 + A-100 = 4
    expect(pools.find((p) => p.id === s.poolId)).toMatchObject({ total: 4, available: 4 });
    expect(pools.find((p) => p.id === s.smallPoolId)).toMatchObject({ total: 4, available: 4 });
    expect(await poolInvariantViolations(s.poolId)).toEqual([]);
    expect(await poolInvariantViolations(s.smallPoolId)).toEqual([]);

    const events = await getDb().event.findMany({ where: { facilityId: s.facilityId, aggregateType: "unit" }, select: { type: true, data: true } });
    expect(events.map((e) => e.type).sort()).toEqual(["unit.added", "unit.added", "unit.retired", "unit.retyped", "unit.updated"]);
    const audit = await getDb().auditEntry.findMany({ where: { facilityId: s.facilityId, targetType: "unit" }, select: { action: true, actorLabel: true } });
    expect(audit.map((a) => a.action).sort()).toEqual(["unit.add", "unit.add", "unit.retire", "unit.retype", "unit.update"]);
    expect(new Set(audit.map((a) => a.actorLabel))).toEqual(new Set([`system:catalogue-import ${created.id} (asked by ${opsLead.email})`]));
  });

  it("fails a row the unit no longer allows, naming why, and applies the others", async () => {
    const s = await site();
    const created = await createImport({ facility_code: s.facilityCode, csv: csv(["A-100,10X10,0,yes", "N-1,10X10,0,"]) }, opsLead.actor);
    await runImport(created.id);
    // after the plan, a partner holds every 10X10 unit but the new one to come
    const partner = await createPartner();
    const held: string[] = [];
    for (let i = 0; i < 5; i++) held.push((await createHold(holdInput(s), partner.actor)).reference);
    const before = await getDb().unit.findFirstOrThrow({ where: { facilityId: s.facilityId, code: "A-100" } });
    await applyImport({ import_id: created.id }, opsLead.actor);
    await runImport(created.id);
    const done = await getImport({ import_id: created.id }, opsLead.actor);
    expect(done.progress).toMatchObject({ processed: 2, added: 1, retired: 0, failed: 1 });
    expect(done.rows).toHaveLength(1);
    expect(done.rows[0]).toMatchObject({ line: 2, status: "FAILED", error: { code: "CONFLICT" } });
    expect(held.some((reference) => done.rows[0]!.error!.message.includes(reference))).toBe(true);
    expect(await getDb().unit.findFirstOrThrow({ where: { facilityId: s.facilityId, code: "A-100" } })).toEqual(before);
    expect(await poolInvariantViolations(s.poolId)).toEqual([]);
  });
});

describe("a big import", () => {
  const rows = (prefix: string, n: number) => csv(Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, "0")},10X10,${i % 5},`));

  it("stops at a cancel between batches: rows applied stay applied, the rest are skipped", async () => {
    const s = await site();
    const created = await createImport({ facility_code: s.facilityCode, csv: rows("C", 400), dry_run: false }, opsLead.actor);
    const run = runImport(created.id);
    // cancel once the first batch is committed
    for (let i = 0; i < 500; i++) {
      const { processed, status } = await getDb().catalogueImport.findUniqueOrThrow({ where: { id: created.id }, select: { processed: true, status: true } });
      if (processed > 0 || status !== "PLANNING" && status !== "APPLYING") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await cancelImport({ import_id: created.id }, opsLead.actor)).changed).toBe(true);
    expect((await run).outcome).toBe("cancelled");
    const after = await getImport({ import_id: created.id, rows: "none" }, opsLead.actor);
    expect(after.status).toBe("CANCELLED");
    expect(after.progress.added).toBeGreaterThan(0);
    expect(after.progress.added).toBeLessThan(400);
    const units = await getDb().unit.count({ where: { facilityId: s.facilityId, code: { startsWith: "C-" } } });
    expect(units).toBe(after.progress.added);
    const rowsByStatus = await getDb().catalogueImportRow.groupBy({ by: ["status"], where: { importId: created.id }, _count: true });
    expect(Object.fromEntries(rowsByStatus.map((r) => [r.status, r._count]))).toEqual({ APPLIED: units, SKIPPED: 400 - units });
    expect(await poolInvariantViolations(s.poolId)).toEqual([]);
    expect((await refusalOf(applyImport({ import_id: created.id }, opsLead.actor))).code).toBe("CONFLICT");
  });

  it("resumes after an interrupted run where it stopped, applying no row twice", async () => {
    const s = await site();
    const created = await createImport({ facility_code: s.facilityCode, csv: rows("R", 300), dry_run: false }, opsLead.actor);
    const stop = new AbortController();
    const first = runImport(created.id, { signal: stop.signal });
    await untilFirstBatch(created.id);
    stop.abort();
    const interrupted = await first;
    expect(interrupted.outcome).toBe("interrupted");
    expect(interrupted.processed).toBeLessThan(300);
    expect((await runImport(created.id)).outcome).toBe("completed");
    const done = await getImport({ import_id: created.id, rows: "none" }, opsLead.actor);
    expect(done.progress).toMatchObject({ processed: 300, added: 300, failed: 0 });
    expect(await getDb().unit.count({ where: { facilityId: s.facilityId, code: { startsWith: "R-" } } })).toBe(300);
    expect(await getDb().event.count({ where: { facilityId: s.facilityId, type: "unit.added" } })).toBe(300);
    expect(await poolInvariantViolations(s.poolId)).toEqual([]);
  });

  it("a runner that died (its heartbeat stale) is handed to a new run, which finishes the rest", async () => {
    const s = await site();
    const created = await createImport({ facility_code: s.facilityCode, csv: rows("K", 200), dry_run: false }, opsLead.actor);
    const stop = new AbortController();
    const first = runImport(created.id, { signal: stop.signal });
    await untilFirstBatch(created.id);
    stop.abort();
    await first;
    // as a killed worker leaves it: APPLYING, its runner's token, a heartbeat gone quiet
    expect(await recoverStalledImports({ staleAfterMs: 60_000 })).not.toContain(created.id);
    await getDb().$executeRaw`UPDATE catalogue_imports SET heartbeat_at = now() - interval '2 minutes' WHERE id = ${created.id}`;
    expect(await recoverStalledImports({ staleAfterMs: 60_000 })).toContain(created.id);
    expect(await recoverStalledImports({ staleAfterMs: 60_000 })).not.toContain(created.id);
    const [job] = await getDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = ${`catalogue_import:${created.id}`}`;
    expect(job?.n).toBe(1);
    expect((await runImport(created.id)).outcome).toBe("completed");
    expect(await getDb().unit.count({ where: { facilityId: s.facilityId, code: { startsWith: "K-" } } })).toBe(200);
    expect((await getImport({ import_id: created.id, rows: "none" }, opsLead.actor)).progress).toMatchObject({ processed: 200, added: 200, failed: 0 });
  });

  it("a second runner takes the import over: the first stops, and every row is applied once", async () => {
    const s = await site();
    const created = await createImport({ facility_code: s.facilityCode, csv: rows("T", 300), dry_run: false }, opsLead.actor);
    const [a, b] = await Promise.all([runImport(created.id), new Promise((r) => setTimeout(r, 30)).then(() => runImport(created.id))]);
    expect([a.outcome, b.outcome]).toContain("completed");
    expect(await getDb().unit.count({ where: { facilityId: s.facilityId, code: { startsWith: "T-" } } })).toBe(300);
    expect(await getDb().event.count({ where: { facilityId: s.facilityId, type: "unit.added" } })).toBe(300);
    expect((await getImport({ import_id: created.id, rows: "none" }, opsLead.actor)).progress).toMatchObject({ processed: 300, added: 300 });
    expect(await poolInvariantViolations(s.poolId)).toEqual([]);
  });

  it("runs beside live holds on the same pool: nothing oversold, every counter true", async () => {
    const s = await site();
    const partner = await createPartner();
    const created = await createImport({ facility_code: s.facilityCode, csv: rows("H", 400), dry_run: false }, opsLead.actor);
    const run = runImport(created.id);
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => createHold(holdInput(s), partner.actor)));
    expect((await run).outcome).toBe("completed");
    const granted = results.filter((r) => r.status === "fulfilled").length;
    for (const r of results) if (r.status === "rejected") expect((r.reason as DomainError).code).toMatch(/INVENTORY_UNAVAILABLE|INVENTORY_HELD_BY_OTHER_TXN/);
    const pool = await getDb().inventoryPool.findUniqueOrThrow({ where: { id: s.poolId } });
    expect(pool.total).toBe(405);
    expect(pool.held).toBe(granted);
    expect(await poolInvariantViolations(s.poolId)).toEqual([]);
  });
});

describe("who may import", () => {
  let s: TestPool;
  let partner: TestPartner;
  beforeAll(async () => {
    s = await site();
    partner = await createPartner({ facilityIds: [s.facilityId] });
  });

  it("a support user and a key without catalogue:write are refused, and the refusal is audited", async () => {
    const file = csv(["X-1,10X10,0,"]);
    expect((await refusalOf(createImport({ facility_code: s.facilityCode, csv: file }, support.actor))).code).toBe("FORBIDDEN");
    const reader = await createPartner({ scopes: ["inventory:read"] });
    const actor = fresh(reader.actor);
    expect((await refusalOf(createImport({ facility_code: s.facilityCode, csv: file }, actor))).code).toBe("FORBIDDEN");
    expect(await getDb().auditEntry.count({ where: { correlationId: actor.correlationId, result: "DENIED" } })).toBe(1);
  });

  it("a partner imports within its key's facilities and sees only its own imports", async () => {
    const created = await createImport({ facility_code: s.facilityCode, csv: csv(["P-1,10X10,0,"]) }, partner.actor);
    expect(created.requestedBy).toBe(partner.code);
    const other = await createPartner();
    expect((await refusalOf(getImport({ import_id: created.id }, other.actor))).code).toBe("NOT_FOUND");
    expect((await refusalOf(cancelImport({ import_id: created.id }, other.actor))).code).toBe("NOT_FOUND");
    const elsewhere = await site();
    expect((await refusalOf(createImport({ facility_code: elsewhere.facilityCode, csv: csv(["P-1,10X10,0,"]) }, partner.actor))).code).toBe("NOT_FOUND");
    // the console sees every partner's import
    expect((await getImport({ import_id: created.id }, opsLead.actor)).id).toBe(created.id);
  });
});
