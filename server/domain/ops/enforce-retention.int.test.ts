import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDelivery, createTestEndpoint } from "../../../test/delivery-factory";
import { createFacilityWithPool, createPartner, type TestPartner, type TestPool } from "../../../test/factories";
import { getDb } from "../../db";
import { enforceRetention } from "./enforce-retention";

// Retention sweeps whole tables: this file has a database of its own, so no other file's
// rows (some of them deliberately old) are removed behind its back, nor its behind theirs.
let dropDatabase: () => Promise<void>;
let pool: TestPool;
let partner: TestPartner;
let endpointId: string;

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

beforeAll(async () => {
  const { useOwnDatabase } = await import("../../../test/factories");
  dropDatabase = await useOwnDatabase("retention_rules");
  pool = await createFacilityWithPool({ units: 4 });
  partner = await createPartner();
  endpointId = await createTestEndpoint(partner.id);
}, 120_000);
afterAll(async () => {
  await dropDatabase?.();
});

/** Moves the outbox fan-out past every event written so far. */
async function fanOutEverything() {
  await getDb().$executeRaw`
    INSERT INTO webhook_fanout_cursor (id, last_txid, last_seq)
    SELECT 1, max(txid), max(seq) FROM events
    ON CONFLICT (id) DO UPDATE SET last_txid = EXCLUDED.last_txid, last_seq = EXCLUDED.last_seq`;
}

async function bookingWith(status: "CONFIRMED" | "CANCELLED"): Promise<string> {
  const unit = await getDb().unit.findFirstOrThrow({ where: { poolId: pool.poolId, bookings: { none: {} } } });
  const booking = await getDb().booking.create({
    data: {
      reference: `BK-RET${crypto.randomBytes(3).toString("hex").toUpperCase()}`,
      partnerId: partner.id,
      facilityId: pool.facilityId,
      unitTypeId: pool.unitTypeId,
      poolId: pool.poolId,
      unitId: unit.id,
      partnerBookingReference: crypto.randomUUID(),
      customerName: "Old Customer",
      customerEmail: "old@example.com",
      moveInDate: daysAgo(500),
      status,
      holdExpiresAt: daysAgo(500),
      monthlyRateCents: 10_000,
      inventoryVersion: 1,
      createdAt: daysAgo(500),
      ...(status === "CANCELLED" ? { cancelledAt: daysAgo(480), cancelReason: "moved away", cancelledBy: "test" } : {}),
    },
  });
  return booking.id;
}

describe("enforceRetention (docs/operations.md#data-retention)", () => {
  it("removes what is past its age and keeps what is young or still in use", async () => {
    const db = getDb();
    const delivered = (status: "SUCCEEDED" | "DEAD" | "RETRYING", age: number, extra: Partial<Parameters<typeof createTestDelivery>[0]> = {}) =>
      createTestDelivery({ endpointId, partnerId: partner.id, status, createdAt: daysAgo(age), attempts: [{ status: status === "SUCCEEDED" ? 200 : 500 }], ...extra });

    // deliveries: old finished ones go (with their attempts); young ones and an old one still retrying stay
    const oldOk = await delivered("SUCCEEDED", 120);
    const oldDead = await delivered("DEAD", 100);
    const oldRetrying = await delivered("RETRYING", 500);
    const young = await delivered("SUCCEEDED", 10);
    // an old delivery named by a running replay stays; one named by a finished replay goes
    const inReplay = await delivered("DEAD", 120);
    const running = await db.replayJob.create({ data: { filter: {}, status: "RUNNING", items: { create: [{ seq: 1, deliveryId: inReplay.deliveryId }] } } });
    const oldReplayed = await delivered("DEAD", 120);
    const finished = await db.replayJob.create({
      data: { filter: {}, status: "COMPLETED", finishedAt: daysAgo(60), items: { create: [{ seq: 1, deliveryId: oldReplayed.deliveryId }] } },
    });

    // events: old ones of a finished booking go once their delivery is gone; a live booking's stay
    const liveBooking = await bookingWith("CONFIRMED");
    const doneBooking = await bookingWith("CANCELLED");
    const liveEvent = await delivered("SUCCEEDED", 500, { bookingId: liveBooking });
    const doneEvent = await delivered("SUCCEEDED", 500, { bookingId: doneBooking });
    await fanOutEverything();

    // records
    await db.availabilitySnapshot.createMany({
      data: [
        { partnerId: partner.id, facilityId: pool.facilityId, poolId: pool.poolId, available: 1, inventoryVersion: 1, reportedAt: daysAgo(90) },
        { partnerId: partner.id, facilityId: pool.facilityId, poolId: pool.poolId, available: 2, inventoryVersion: 2, reportedAt: daysAgo(60) },
      ],
    });
    await db.inboundWebhookEvent.createMany({
      data: [
        { id: `iwe_old_${crypto.randomUUID()}`, source: "payments", status: "PROCESSED", rawBody: '{"secret":"old"}', receivedAt: daysAgo(45), processedAt: daysAgo(45) },
        { id: `iwe_new_${crypto.randomUUID()}`, source: "payments", status: "PROCESSED", rawBody: '{"secret":"new"}', receivedAt: daysAgo(1), processedAt: daysAgo(1) },
      ],
    });
    await db.demoReceiverHit.createMany({
      data: [
        { endpointId, webhookId: "msg_old", partnerCode: partner.code, lastAt: daysAgo(8) },
        { endpointId, webhookId: "msg_new", partnerCode: partner.code, lastAt: daysAgo(1) },
      ],
    });
    const bucket = (size: "HOUR" | "DAY", age: number) => ({
      metric: "bookings_held",
      bucketSize: size,
      bucketStart: daysAgo(age),
      facilityId: pool.facilityId,
      partnerId: partner.id,
      count: 1,
    });
    await db.kpiBucket.createMany({ data: [bucket("HOUR", 100), bucket("HOUR", 5), bucket("DAY", 100)] });

    const result = await enforceRetention({ batchSize: 2 });
    expect(result.complete).toBe(true);

    const deliveries = new Set((await db.webhookDelivery.findMany({ select: { id: true } })).map((d) => d.id));
    expect([oldOk, oldDead, oldReplayed, doneEvent].map((d) => deliveries.has(d.deliveryId))).toEqual([false, false, false, false]);
    expect([oldRetrying, young, inReplay].map((d) => deliveries.has(d.deliveryId))).toEqual([true, true, true]);
    expect(await db.webhookAttempt.count({ where: { deliveryId: { in: [oldOk.deliveryId, oldDead.deliveryId] } } })).toBe(0);
    expect(await db.webhookAttempt.count({ where: { deliveryId: young.deliveryId } })).toBe(1);
    expect(await db.replayJobItem.count({ where: { jobId: running.id } })).toBe(1);
    expect(await db.replayJobItem.count({ where: { jobId: finished.id } })).toBe(0);
    expect(await db.replayJob.count({ where: { id: finished.id } })).toBe(1); // the job and its counts stay

    // the live booking's old event stays, delivered or not; the finished booking's went with its delivery
    expect(await db.event.count({ where: { id: doneEvent.eventId } })).toBe(0);
    expect(await db.event.count({ where: { id: liveEvent.eventId } })).toBe(1);
    expect(await db.event.count({ where: { id: young.eventId } })).toBe(1);
    // an old event whose delivery is still retrying stays
    expect(await db.event.count({ where: { id: oldRetrying.eventId } })).toBe(1);

    // the newest snapshot of the partner and pool stays, however old
    expect((await db.availabilitySnapshot.findMany({ where: { poolId: pool.poolId } })).map((s) => s.available)).toEqual([2]);
    const inbound = await db.inboundWebhookEvent.findMany({ orderBy: { receivedAt: "asc" } });
    expect(inbound.map((e) => e.rawBody)).toEqual(["", '{"secret":"new"}']);
    expect((await db.demoReceiverHit.findMany()).map((h) => h.webhookId)).toEqual(["msg_new"]);
    const buckets = await db.kpiBucket.findMany({ orderBy: [{ bucketSize: "asc" }, { bucketStart: "asc" }] });
    expect(buckets.map((b) => `${b.bucketSize}`)).toEqual(["HOUR", "DAY"]);
    expect(buckets[0]!.bucketStart.getTime()).toBeGreaterThan(daysAgo(6).getTime());

    // a second run finds nothing more: idempotent
    const again = await enforceRetention({ batchSize: 2 });
    expect(Object.values(again.removed).every((n) => n === 0)).toBe(true);
  });

  it("refuses a retention of less than a day", async () => {
    await expect(enforceRetention({ days: { recordsDays: 0 } })).rejects.toThrow(RangeError);
  });
});
