import { afterAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, disconnectDb, getDb } from "../server/db";

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

describe("the Prisma client's connections", () => {
  it("run transactions READ COMMITTED without asking, even where the server's default is stricter", async () => {
    // inTransaction sends no isolation level (one round trip less per booking change):
    // the client makes every connection READ COMMITTED (server/db.ts).
    const url = new URL(inject("databaseUrl"));
    url.searchParams.set("options", "-c default_transaction_isolation=serializable");
    const client = createPrismaClient(url.toString(), 1);
    try {
      const level = await client.$transaction((tx) => tx.$queryRaw<{ transaction_isolation: string }[]>`SHOW transaction_isolation`);
      expect(level[0]?.transaction_isolation).toBe("read committed");
      // and a transaction that asks for another level still gets it
      const asked = await client.$transaction((tx) => tx.$queryRaw<{ transaction_isolation: string }[]>`SHOW transaction_isolation`, {
        isolationLevel: "Serializable",
      });
      expect(asked[0]?.transaction_isolation).toBe("serializable");
    } finally {
      await client.$disconnect();
    }
  });
});
