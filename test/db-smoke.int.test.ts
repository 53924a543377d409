import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../server/db";

afterAll(disconnectDb);

describe("test database", () => {
  it("is migrated: pool counters must add up (CHECK)", async () => {
    const db = getDb();
    const facility = await db.facility.create({
      data: {
        code: `T-${Date.now()}`,
        name: "t",
        timezone: "UTC",
        addressLine1: "1 St",
        city: "X",
        postalCode: "1",
        country: "GB",
        accessHours: "24/7",
      },
    });
    const unitType = await db.unitType.create({
      data: { facilityId: facility.id, code: "5X5", name: "5x5", widthFt: 5, depthFt: 5, areaSqFt: 25, climateControlled: false, monthlyRateCents: 100 },
    });
    await expect(
      db.inventoryPool.create({ data: { facilityId: facility.id, unitTypeId: unitType.id, total: 2, available: 1 } }),
    ).rejects.toThrow(/inventory_pools_counters_sum/);
  });

  it("refuses to change or delete audit entries", async () => {
    const db = getDb();
    const entry = await db.auditEntry.create({
      data: { actorType: "SYSTEM", actorLabel: "test", action: "test.smoke", targetType: "none", result: "SUCCESS" },
    });
    await expect(db.auditEntry.update({ where: { id: entry.id }, data: { action: "x" } })).rejects.toThrow(/append-only/);
    await expect(db.auditEntry.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    expect((await db.auditEntry.findUnique({ where: { id: entry.id } }))?.action).toBe("test.smoke");
  });
});
