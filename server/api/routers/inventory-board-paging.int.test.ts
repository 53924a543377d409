import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUnitType, createConsoleUser, createFacilityWithPool, type TestPool } from "../../../test/factories";
import { disconnectDb, getDb } from "../../db";
import { blockUnit } from "../../domain/inventory/block-unit";
import { callerFor, codeOf } from "../../../test/trpc-caller";
import { loadSessionUser, type SessionUser } from "../../domain/users/load-session-user";
import { createUser } from "../../../test/user-factory";

/**
 * The board's keyset pages (docs/performance.md#inventory-board): every unit exactly once,
 * in board order, forwards and backwards, under each filter, and the counts agree with the
 * units the pages hold.
 */

afterAll(disconnectDb);

let facility: TestPool;
let admin: SessionUser;
type Board = Awaited<ReturnType<ReturnType<typeof callerFor>["inventory"]["board"]>>;
type Filters = Omit<Parameters<ReturnType<typeof callerFor>["inventory"]["board"]>[0], "facilityCode" | "after" | "before" | "limit">;

const natural = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** A-100 … A-122 (10X10, 100 sq ft) and 5X5-0 … 5X5-11 (25 sq ft): the 5X5s come first. */
beforeAll(async () => {
  facility = await createFacilityWithPool({ units: 23 });
  await addUnitType(facility.facilityId, "5X5", 12);
  const db = getDb();
  // floors: every third unit upstairs; one unit retired (off the board)
  const units = await db.unit.findMany({ where: { facilityId: facility.facilityId }, select: { id: true, code: true }, orderBy: { code: "asc" } });
  for (const [i, unit] of units.entries()) if (i % 3 === 0) await db.unit.update({ where: { id: unit.id }, data: { floor: 1 } });
  await db.unit.update({ where: { facilityId_code: { facilityId: facility.facilityId, code: "A-122" } }, data: { status: "RETIRED" } });
  const ops = await createConsoleUser({ role: "OPS_LEAD" });
  for (const code of ["A-101", "5X5-10", "5X5-2"]) await blockUnit({ facility_code: facility.facilityCode, unit_code: code, reason: "DAMAGE" }, ops.actor);
  const user = await loadSessionUser((await createUser({ role: "ADMIN" })).id);
  if (!user) throw new Error("test user did not load");
  admin = user;
});

async function allPages(filters: Filters, limit: number): Promise<{ forwards: string[]; backwards: string[]; pages: Board[] }> {
  const caller = callerFor(admin);
  const pages: Board[] = [];
  let after: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await caller.inventory.board({ facilityCode: facility.facilityCode, ...filters, limit, after });
    pages.push(page);
    expect(page.units.length).toBeLessThanOrEqual(limit);
    if (!page.nextCursor) break;
    after = page.nextCursor;
  }
  // and back from the last page to the first, by the previous-page cursors
  const backwardPages: string[][] = [pages.at(-1)!.units.map((u) => u.code)];
  let before = pages.at(-1)!.prevCursor ?? undefined;
  for (let i = 0; before && i < 50; i++) {
    const page = await caller.inventory.board({ facilityCode: facility.facilityCode, ...filters, limit, before });
    backwardPages.unshift(page.units.map((u) => u.code));
    before = page.prevCursor ?? undefined;
  }
  return { forwards: pages.flatMap((p) => p.units.map((u) => u.code)), backwards: backwardPages.flat(), pages };
}

describe("inventory.board pages", () => {
  it("pages through every unit once, smallest type first, codes as staff walk them, and back again", async () => {
    const { forwards, backwards, pages } = await allPages({}, 5);
    const fives = Array.from({ length: 12 }, (_, i) => `5X5-${i}`);
    const tens = Array.from({ length: 22 }, (_, i) => `A-${100 + i}`);
    expect(forwards).toEqual([...fives, ...tens]);
    expect(backwards).toEqual(forwards);
    expect(pages).toHaveLength(7);
    expect(pages[0]!.prevCursor).toBeNull();
    expect(pages.at(-1)!.nextCursor).toBeNull();
    for (const page of pages) {
      expect(page.matchedCount).toBe(34);
      expect(page.unfilteredCount).toBe(34);
    }
    expect(pages[0]!.floors).toEqual([0, 1]);
    expect(pages.map((p) => p.pageStart)).toEqual([0, 5, 10, 15, 20, 25, 30]);
  });

  it("counts per type and status agree with the units the pages hold", async () => {
    const { pages } = await allPages({}, 8);
    const units = pages.flatMap((p) => p.units);
    const tally = new Map<string, Record<string, number>>();
    for (const unit of units) {
      const entry = tally.get(unit.unitTypeCode) ?? { total: 0 };
      entry.total = (entry.total ?? 0) + 1;
      entry[unit.status.toLowerCase()] = (entry[unit.status.toLowerCase()] ?? 0) + 1;
      tally.set(unit.unitTypeCode, entry);
    }
    const counts = pages[0]!.counts;
    expect(counts.map((c) => c.unitTypeCode)).toEqual(["5X5", "10X10"]);
    for (const c of counts) {
      const t = tally.get(c.unitTypeCode)!;
      expect(c).toEqual({ unitTypeCode: c.unitTypeCode, total: t.total, available: t.available ?? 0, held: 0, booked: 0, occupied: 0, blocked: t.blocked ?? 0, retired: 0 });
    }
    expect(counts.find((c) => c.unitTypeCode === "5X5")!.blocked).toBe(2);
  });

  it("filters by status, type, floor and code, each paged and counted", async () => {
    const blocked = await allPages({ status: ["BLOCKED"] }, 2);
    expect(blocked.forwards).toEqual(["5X5-2", "5X5-10", "A-101"]);
    expect(blocked.pages[0]!.matchedCount).toBe(3);
    // the counts leave the status filter out (the status chips show what each would add)
    expect(blocked.pages[0]!.counts.reduce((n, c) => n + c.total, 0)).toBe(34);

    const fives = await allPages({ unitType: "5x5" }, 4);
    expect(fives.forwards).toEqual([...fives.forwards].sort(natural));
    expect(fives.forwards).toHaveLength(12);
    expect(fives.pages[0]!.counts.map((c) => c.unitTypeCode)).toEqual(["5X5"]);

    const upstairs = await allPages({ floor: 1 }, 4);
    const floorOne = await getDb().unit.count({ where: { facilityId: facility.facilityId, floor: 1, status: { not: "RETIRED" } } });
    expect(upstairs.forwards).toHaveLength(floorOne);
    expect(upstairs.pages[0]!.matchedCount).toBe(floorOne);
    expect(upstairs.pages[0]!.units.every((u) => u.floor === 1)).toBe(true);

    const code = await allPages({ code: "a-11" }, 3);
    expect(code.forwards).toEqual(Array.from({ length: 10 }, (_, i) => `A-${110 + i}`));
    // LIKE's wildcards are text, not patterns
    expect((await allPages({ code: "%" }, 3)).forwards).toEqual([]);

    const combined = await allPages({ unitType: "5X5", status: ["AVAILABLE"], floor: 0 }, 3);
    expect(combined.pages[0]!.matchedCount).toBe(combined.forwards.length);
    expect(combined.forwards.every((c) => c.startsWith("5X5-") && !["5X5-2", "5X5-10"].includes(c))).toBe(true);
  });

  it("lists retired units too for the catalogue: paged, counted and filtered like the others", async () => {
    const all = await allPages({ includeRetired: true }, 5);
    const fives = Array.from({ length: 12 }, (_, i) => `5X5-${i}`);
    const tens = Array.from({ length: 23 }, (_, i) => `A-${100 + i}`);
    expect(all.forwards).toEqual([...fives, ...tens]);
    expect(all.backwards).toEqual(all.forwards);
    expect(all.pages[0]!.matchedCount).toBe(35);
    expect(all.pages[0]!.unfilteredCount).toBe(35);
    expect(all.pages.flatMap((p) => p.units).filter((u) => u.status === "RETIRED").map((u) => u.code)).toEqual(["A-122"]);
    const tensCounts = all.pages[0]!.counts.find((c) => c.unitTypeCode === "10X10")!;
    expect({ total: tensCounts.total, retired: tensCounts.retired }).toEqual({ total: 23, retired: 1 });

    const retired = await allPages({ includeRetired: true, status: ["RETIRED"] }, 5);
    expect(retired.forwards).toEqual(["A-122"]);
    expect(retired.pages[0]!.matchedCount).toBe(1);
    const retiredOrBlocked = await allPages({ includeRetired: true, status: ["BLOCKED", "RETIRED"], unitType: "10X10" }, 5);
    expect(retiredOrBlocked.forwards).toEqual(["A-101", "A-122"]);

    // the board leaves them out, and refuses to be asked for them
    const board = await allPages({}, 50);
    expect(board.forwards.filter((code) => code === "A-122")).toEqual([]);
    expect(board.pages[0]!.counts.map((c) => c.retired)).toEqual([0, 0]);
    expect(await codeOf(callerFor(admin).inventory.board({ facilityCode: facility.facilityCode, status: ["RETIRED"] }))).toBe("BAD_REQUEST");
  });

  it("refuses a page both after and before a unit, and a page size past the limit", async () => {
    const caller = callerFor(admin);
    expect(await codeOf(caller.inventory.board({ facilityCode: facility.facilityCode, after: "A-100", before: "A-110" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.inventory.board({ facilityCode: facility.facilityCode, limit: 10_000 }))).toBe("BAD_REQUEST");
  });
});
