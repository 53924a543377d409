import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { configure } from "../../config";
import { disconnectDb, getDb } from "../../db";
import { deleteExpiredIdempotencyRecords } from "./delete-expired-idempotency-records";
import { deleteOldApiRequestLogs } from "./delete-old-api-request-logs";
import { readMetricsSnapshot } from "./metrics-snapshot";
import { renderMetrics } from "../../observability/metrics";

afterAll(disconnectDb);

async function newPartner() {
  return getDb().partner.create({ data: { code: `T-${crypto.randomUUID().slice(0, 8)}`, name: "t", kind: "OTHER" } });
}

describe("retention", () => {
  it("deletes expired idempotency records in batches and keeps live ones", async () => {
    const db = getDb();
    const partner = await newPartner();
    const base = { partnerId: partner.id, fingerprint: "f", method: "POST", path: "/api/v1/bookings", state: "COMPLETED" as const };
    await db.idempotencyRecord.createMany({
      data: [
        ...Array.from({ length: 7 }, (_, i) => ({ ...base, key: `old-${i}`, expiresAt: new Date(Date.now() - 1000 * (i + 1)) })),
        { ...base, key: "live", expiresAt: new Date(Date.now() + 60_000) },
      ],
    });
    const result = await deleteExpiredIdempotencyRecords({ batchSize: 3 });
    expect(result.complete).toBe(true);
    expect(result.deleted).toBeGreaterThanOrEqual(7); // other tests' expired rows may go too
    expect(result.batches).toBeGreaterThanOrEqual(3);
    const left = await db.idempotencyRecord.findMany({ where: { partnerId: partner.id } });
    expect(left.map((r) => r.key)).toEqual(["live"]);
    // A second run finds nothing of ours: idempotent.
    await deleteExpiredIdempotencyRecords({ batchSize: 3 });
    expect(await db.idempotencyRecord.count({ where: { partnerId: partner.id } })).toBe(1);
  });

  it("deletes api_request_log rows older than 30 days only", async () => {
    const db = getDb();
    const correlationId = `ret-${crypto.randomUUID()}`;
    const row = (daysAgo: number) => ({
      method: "GET",
      route: "/api/v1/pools",
      status: 200,
      durationMs: 3,
      correlationId,
      createdAt: new Date(Date.now() - daysAgo * 86_400_000),
    });
    await db.apiRequestLog.createMany({ data: [row(31), row(45), row(400), row(29), row(0)] });
    const result = await deleteOldApiRequestLogs({ batchSize: 2 });
    expect(result.deleted).toBeGreaterThanOrEqual(3);
    const left = await db.apiRequestLog.findMany({ where: { correlationId }, orderBy: { createdAt: "asc" } });
    expect(left).toHaveLength(2);
    expect(left.filter((r) => Date.now() - r.createdAt.getTime() >= 30 * 86_400_000)).toEqual([]);
  });

  it("keeps the request log for HOLDFAST_API_LOG_RETENTION_DAYS when set", async () => {
    const db = getDb();
    const correlationId = `ret-${crypto.randomUUID()}`;
    const row = (daysAgo: number) => ({
      method: "GET",
      route: "/api/v1/pools",
      status: 200,
      durationMs: 3,
      correlationId,
      createdAt: new Date(Date.now() - daysAgo * 86_400_000),
    });
    await db.apiRequestLog.createMany({ data: [row(8), row(6), row(0)] });
    const restore = configure({ HOLDFAST_API_LOG_RETENTION_DAYS: "7" });
    try {
      await deleteOldApiRequestLogs();
    } finally {
      restore();
    }
    const left = await db.apiRequestLog.findMany({ where: { correlationId } });
    expect(left).toHaveLength(2);
  });
});

describe("metrics snapshot", () => {
  it("reads pools, bookings and the worker heartbeat from the database", async () => {
    const db = getDb();
    const code = `M-${crypto.randomUUID().slice(0, 8)}`;
    const facility = await db.facility.create({
      data: { code, name: "m", timezone: "UTC", addressLine1: "1", city: "x", postalCode: "1", country: "GB", accessHours: "24/7" },
    });
    const unitType = await db.unitType.create({
      data: { facilityId: facility.id, code: "5X5", name: "5x5", widthFt: 5, depthFt: 5, areaSqFt: 25, climateControlled: false, monthlyRateCents: 100 },
    });
    await db.inventoryPool.create({ data: { facilityId: facility.id, unitTypeId: unitType.id, total: 0, available: 0 } });

    const snapshot = await readMetricsSnapshot();
    expect(snapshot.pools).toContainEqual(
      expect.objectContaining({ facility: code, unitType: "5X5", total: 0, available: 0 }),
    );
    const text = await renderMetrics(snapshot);
    expect(text).toContain(`holdfast_pool_available{facility="${code}",unit_type="5X5"} 0`);
    expect(text).toContain("holdfast_metrics_snapshot_up 1");
  });
});
