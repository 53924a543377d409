import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolInvariantViolations,
  poolState,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
  type TestUser,
} from "../../../test/factories";
import { getDb } from "../../db";
import { createHold } from "../bookings/create-hold";
import { DomainError } from "@/server/domain/shared/errors";
import { blockUnit } from "./block-unit";
import { listAvailability } from "./list-availability";
import { startDueBlocks } from "./start-due-blocks";
import { retryAsPartner } from "../../../test/retry-as-partner";

// docs/availability.md: what /availability calls available is exactly what a hold can
// take. startDueBlocks sweeps every due block in the database with a simulated clock, so
// this file gets a database of its own.
let dropDatabase: () => Promise<void>;
let partner: TestPartner;
let opsLead: TestUser;

beforeAll(async () => {
  // 44 concurrent holds (plus the block runner) need as many connections.
  process.env.DATABASE_POOL_MAX = "50";
  dropDatabase = await useOwnDatabase("availability");
  partner = await createPartner();
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(() => dropDatabase());

const HOUR = 3_600_000;
/** A race of 44 transactions on a loaded 2-core machine: each one is quick, the queue is long. */
const RACE_BUDGET_MS = 180_000;

/** The call's outcome: "ok", a domain error code, or the unexpected error itself (deadlocks, 500s). */
async function outcome<T>(promise: Promise<T>): Promise<{ code: string; value?: T }> {
  try {
    return { code: "ok", value: await promise };
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code };
    return { code: `UNEXPECTED: ${String(error)}` };
  }
}

/**
 * A hold as a partner makes it: INVENTORY_HELD_BY_OTHER_TXN is retryable by contract (a
 * lock wait or deadlock with the block runner, which moves holds off units it blocks),
 * so it is retried; every hold still ends as a hold or INVENTORY_UNAVAILABLE.
 */
function holdRetrying(pool: TestPool): Promise<{ code: string; value?: Awaited<ReturnType<typeof createHold>> }> {
  return outcome(retryAsPartner(() => createHold(holdInput(pool), partner.actor)));
}

/** What the partner API's GET /availability answers for the pool. */
async function advertised(pool: TestPool): Promise<number> {
  const [row] = await listAvailability(partner.actor, { facilityCode: pool.facilityCode, unitTypeCode: pool.unitTypeCode });
  return row!.available;
}

/** Schedules a block on each unit, starting `startsInMs` from `now` (through the service, as a site manager would). */
async function scheduleBlocks(pool: TestPool, unitCodes: string[], now: Date, startsInMs: number) {
  const ids: string[] = [];
  for (const unit_code of unitCodes) {
    const { block } = await blockUnit(
      {
        facility_code: pool.facilityCode,
        unit_code,
        reason: "CLEANING",
        starts_at: new Date(now.getTime() + startsInMs).toISOString(),
        ends_at: new Date(now.getTime() + startsInMs + HOUR).toISOString(),
      },
      opsLead.actor,
      { now },
    );
    ids.push(block.id);
  }
  return ids;
}

function tally(codes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

describe("availability is what a hold can take", () => {
  it(
    "44 concurrent holds on a pool advertising N free units, some with an upcoming scheduled block: exactly N succeed",
    async () => {
      for (let round = 0; round < 2; round++) {
        const pool = await createFacilityWithPool({ units: 4 + round * 4 });
        // the lowest codes (the picker's first choice by floor and code) get the blocks
        const blocked = round === 0 ? ["A-100"] : ["A-100", "A-101", "A-105"];
        await scheduleBlocks(pool, blocked, new Date(), 2 * HOUR);
        const n = await advertised(pool);
        expect(n).toBe(4 + round * 4);

        const outcomes = await Promise.all(Array.from({ length: 44 }, () => holdRetrying(pool)));

        expect(tally(outcomes.map((o) => o.code))).toEqual({ ok: n, INVENTORY_UNAVAILABLE: 44 - n });
        expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
        const state = await poolState(pool.poolId);
        expect(state.counters).toEqual({ available: 0, held: n, booked: 0, occupied: 0, blocked: 0 });
        expect(state.actual).toEqual(state.counters);
        expect(await advertised(pool)).toBe(0);
        // the units with a scheduled block were held too: none was left behind
        const heldCodes = outcomes.flatMap((o) => (o.value ? [o.value.unitCode] : [])).sort();
        expect(heldCodes).toEqual(Array.from({ length: n }, (_, i) => `A-${100 + i}`));
      }
    },
    RACE_BUDGET_MS,
  );

  it("one hold at a time: a hold succeeds exactly while /availability shows a free unit, and takes scheduled-block units last", async () => {
    const pool = await createFacilityWithPool({ units: 5 });
    await scheduleBlocks(pool, ["A-100", "A-102"], new Date(), HOUR);
    const taken: string[] = [];
    for (;;) {
      const before = await advertised(pool);
      const result = await outcome(createHold(holdInput(pool), partner.actor));
      if (before === 0) {
        expect(result.code).toBe("INVENTORY_UNAVAILABLE");
        break;
      }
      expect(result.code).toBe("ok");
      taken.push(result.value!.unitCode);
      expect(await advertised(pool)).toBe(before - 1);
    }
    expect(taken).toEqual(["A-101", "A-103", "A-104", "A-100", "A-102"]);
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });

  it(
    "holds racing the start of due scheduled blocks: no unit is left advertised that no hold took, and counters = unit statuses",
    async () => {
      for (let round = 0; round < 2; round++) {
        const pool = await createFacilityWithPool({ units: 12 });
        const t0 = new Date();
        const blockIds = await scheduleBlocks(pool, ["A-100", "A-103", "A-106", "A-109"], t0, 60_000);
        // the blocks are due: the runner starts them (moving any hold that took their unit) while 30 holds race
        const [holds, run] = await Promise.all([
          Promise.all(Array.from({ length: 30 }, () => holdRetrying(pool))),
          outcome(startDueBlocks({ now: new Date(Date.now() + 120_000) })),
        ]);
        expect(run.code).toBe("ok");
        const codes = holds.map((o) => o.code);
        expect(codes.filter((c) => c !== "ok" && c !== "INVENTORY_UNAVAILABLE")).toEqual([]);
        expect(await poolInvariantViolations(pool.poolId)).toEqual([]);

        const state = await poolState(pool.poolId);
        const heldOk = codes.filter((c) => c === "ok").length;
        const blocks = await getDb().maintenanceBlock.findMany({ where: { id: { in: blockIds } }, select: { status: true } });
        const started = blocks.filter((b) => b.status === "ACTIVE").length;
        // every refused hold was refused because nothing was left, not because a unit was skipped
        expect(state.counters).toEqual({ available: 0, held: heldOk, booked: 0, occupied: 0, blocked: started });
        expect(heldOk + started).toBe(12);
        expect(blocks.map((b) => b.status).filter((s) => s !== "ACTIVE" && s !== "SCHEDULED")).toEqual([]);
        expect(await advertised(pool)).toBe(0);
        // tidy up: blocks that could not start (their unit's hold had nowhere to go) are called off
        await getDb().maintenanceBlock.updateMany({ where: { id: { in: blockIds }, status: "SCHEDULED" }, data: { status: "CANCELLED" } });
      }
    },
    RACE_BUDGET_MS,
  );
});
