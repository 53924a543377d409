import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, mergedRunFields, type TestPool } from "../../../test/factories";
import { createUser } from "../../../test/user-factory";
import { disconnectDb, getDb } from "../../db";
import { newId } from "../../domain/shared/ids";
import { loadSessionUser, type SessionUser } from "../../domain/users/load-session-user";
import { callerFor, codeOf } from "../../../test/trpc-caller";

afterAll(disconnectDb);

async function sessionUser(role: SessionUser["role"]): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser({ role })).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

let pool: TestPool;
let runId: string;
let opsLead: SessionUser;

beforeAll(async () => {
  opsLead = await sessionUser("OPS_LEAD");
  pool = await createFacilityWithPool({ units: 3 });
  runId = newId("rec");
  // A finished run, as the worker stores it (the run itself sweeps the whole database).
  await getDb().reconciliationRun.create({
    data: {
      id: runId,
      trigger: "SCHEDULED",
      status: "SUCCEEDED",
      kinds: ["counters"],
      finishedAt: new Date(),
      ...(await mergedRunFields()),
      discrepancyCount: 2,
      scanned: { phase: "done", scanned: { counters: { pools: 1, units: 3, liveBookings: 0 } }, found: { POOL_COUNTER: 1, UNIT_STATUS: 1 } },
    },
  });
  const base = { runId, facilityId: pool.facilityId, poolId: pool.poolId };
  await getDb().discrepancy.create({
    data: {
      ...base,
      kind: "POOL_COUNTER",
      severity: "HIGH",
      summary: "counters",
      fingerprint: `POOL_COUNTER:${pool.poolId}`,
      expected: { total: 3, available: 3, held: 0, booked: 0, occupied: 0, blocked: 0 },
      actual: { total: 3, available: 1, held: 2, booked: 0, occupied: 0, blocked: 0, inventory_version: 0 },
    },
  });
  await getDb().discrepancy.create({
    data: {
      ...base,
      unitId: pool.unitIds[0]!,
      kind: "UNIT_STATUS",
      severity: "MEDIUM",
      status: "IGNORED",
      summary: "unit",
      fingerprint: `UNIT_STATUS:${pool.unitIds[0]}`,
      expected: { status: "AVAILABLE" },
      actual: { status: "BLOCKED" },
    },
  });
});

describe("drift router", () => {
  it("is for ops leads and admins: no session UNAUTHORIZED, other roles FORBIDDEN", async () => {
    expect(await codeOf(callerFor(null).drift.runs())).toBe("UNAUTHORIZED");
    for (const role of ["SUPPORT", "SITE_MANAGER"] as const) {
      const caller = callerFor(await sessionUser(role));
      expect(await codeOf(caller.drift.runs())).toBe("FORBIDDEN");
      expect(await codeOf(caller.drift.run({ runId }))).toBe("FORBIDDEN");
      expect(await codeOf(caller.drift.partnerSync())).toBe("FORBIDDEN");
    }
    expect(await codeOf(callerFor(await sessionUser("ADMIN")).drift.runs())).toBe("OK");
  });

  it("lists runs with what each found per kind, and what is open", async () => {
    const result = await callerFor(opsLead).drift.runs();
    const run = result.runs.find((r) => r.id === runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", trigger: "SCHEDULED", discrepancyCount: 2, summary: { found: { POOL_COUNTER: 1 } } });
    expect(result.open.byKind.POOL_COUNTER).toBeGreaterThanOrEqual(1);
    expect(result.schedule).toBe("*/15 * * * *");
  });

  it("shows a run's discrepancies with their links, approval need and facets; filters narrow the list, not the facets", async () => {
    const caller = callerFor(opsLead);
    // The run saw every open discrepancy of its checks (other files' too, on this shared
    // database): this file's facility holds its two.
    const all = await caller.drift.run({ runId, facility: pool.facilityCode });
    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(all.facets.facilities).toContain(pool.facilityCode);
    expect(all.discrepancies.map((d) => d.kind)).toEqual(["POOL_COUNTER", "UNIT_STATUS"]);
    expect(all.discrepancies[0]).toMatchObject({
      facility: { code: pool.facilityCode, timezone: "Europe/London" },
      unitTypeCode: pool.unitTypeCode,
      needsApproval: true,
      correction: expect.stringContaining("Recount"),
    });
    expect(all.discrepancies[1]).toMatchObject({ unitCode: "A-100", status: "IGNORED", needsApproval: false });
    const open = await caller.drift.run({ runId, facility: pool.facilityCode, status: "OPEN" });
    expect(open.discrepancies.map((d) => d.kind)).toEqual(["POOL_COUNTER"]);
    expect(open.facets.statuses.find((s) => s.status === "IGNORED")?.count).toBeGreaterThanOrEqual(1);
    expect((await caller.drift.run({ runId, facility: "NOPE-01" })).discrepancies).toEqual([]);
  });

  it("an unknown run is NOT_FOUND; a malformed id or filter is BAD_REQUEST, never a 500", async () => {
    const caller = callerFor(opsLead);
    expect(await codeOf(caller.drift.run({ runId: newId("rec") }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.drift.run({ runId: "rec_nope" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.drift.run({ runId, kind: "EVERYTHING" } as never))).toBe("BAD_REQUEST");
  });
});
