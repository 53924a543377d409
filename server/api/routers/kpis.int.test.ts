import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "../../db";
import { createFacilityWithPool, type TestPool } from "../../../test/factories";
import { callerFor, codeOf, sessionUser } from "../../../test/trpc-caller";

afterAll(disconnectDb);

let own: TestPool;
let other: TestPool;

beforeAll(async () => {
  own = await createFacilityWithPool({ units: 2 });
  other = await createFacilityWithPool({ units: 2 });
});

describe("kpis router", () => {
  it("refuses a caller with no session: UNAUTHORIZED", async () => {
    expect(await codeOf(callerFor(null).kpis.dashboard({ range: "24h" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(null).kpis.filters())).toBe("UNAUTHORIZED");
  });

  it("refuses a malformed range: BAD_REQUEST, never a 500", async () => {
    const support = callerFor(await sessionUser({ role: "SUPPORT" }));
    expect(await codeOf(support.kpis.dashboard({ range: "1y" as "24h" }))).toBe("BAD_REQUEST");
    expect(await codeOf(support.kpis.dashboard({ range: "custom", from: "2026-11-05" }))).toBe("BAD_REQUEST");
    expect(await codeOf(support.kpis.dashboard({ range: "custom", from: "2026-11-05", to: "2026-11-01" }))).toBe("BAD_REQUEST");
    expect(await codeOf(support.kpis.dashboard({ range: "custom", from: "2024-01-01", to: "2026-01-01" }))).toBe("BAD_REQUEST");
    expect(await codeOf(support.kpis.dashboard({ range: "7d", facility: "no such; drop" }))).toBe("BAD_REQUEST");
    expect(await codeOf(support.kpis.dashboard({ range: "7d", partner: "NOPE-404" }))).toBe("NOT_FOUND");
  });

  it("gives support every facility, and a site manager only theirs (another is NOT_FOUND)", async () => {
    const support = callerFor(await sessionUser({ role: "SUPPORT" }));
    const all = await support.kpis.filters();
    expect(all.facilities.map((f) => f.code)).toEqual(expect.arrayContaining([own.facilityCode, other.facilityCode]));
    const dashboard = await support.kpis.dashboard({ range: "30d" });
    expect(dashboard.bucketSize).toBe("DAY");
    expect(dashboard.kpis.find((k) => k.key === "booking_success")?.points).toHaveLength(30);

    const manager = callerFor(await sessionUser({ role: "SITE_MANAGER", facilityIds: [own.facilityId] }));
    expect((await manager.kpis.filters()).facilities.map((f) => f.code)).toEqual([own.facilityCode]);
    expect(await codeOf(manager.kpis.dashboard({ range: "24h", facility: other.facilityCode }))).toBe("NOT_FOUND");
    const mine = await manager.kpis.dashboard({ range: "24h", facility: own.facilityCode });
    expect(mine.bucketSize).toBe("HOUR");
    expect(mine.timezone).toBe("Europe/London");
    expect(mine.kpis.find((k) => k.key === "rate_limited")?.available).toBe(false);
  });
});
