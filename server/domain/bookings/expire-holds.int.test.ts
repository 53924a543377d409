import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../db";
import {
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolInvariantViolations,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
} from "../../../test/factories";
import { retryAsPartner } from "../../../test/retry-as-partner";
import { DomainError } from "@/server/domain/shared/errors";
import { confirmBooking } from "./confirm-booking";
import { createHold } from "./create-hold";
import { expireAllDue, expireHolds } from "./expire-holds";

/**
 * Set-based expiry (docs/domain.md#holds-and-expiry): the same rows, counters, versions,
 * events and audit as releasing the holds one at a time, and never a hold both confirmed
 * and expired. expireHolds sweeps every pool, so the file has a database of its own.
 */

let dropDatabase: () => Promise<void>;
let partner: TestPartner;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("expire_holds");
  partner = await createPartner();
});
afterAll(() => dropDatabase());

async function holdsIn(pool: TestPool, count: number, start: Date) {
  const holds = [];
  for (let i = 0; i < count; i++) {
    // one second apart, so expiry's order (pool, hold_expires_at) is known
    holds.push(await createHold(holdInput(pool, { hold_ttl_seconds: 60 }), partner.actor, { now: new Date(start.getTime() + i * 1000) }));
  }
  return holds;
}

describe("expireHolds, set-based", () => {
  it("writes, per hold, exactly the rows, events and audit of one-at-a-time expiry", async () => {
    const t0 = new Date(Date.now() - 3_600_000);
    const a = await createFacilityWithPool({ units: 6 });
    const b = await createFacilityWithPool({ units: 3, unitTypeCode: "5X5" });
    const confirmed = await createHold(holdInput(a), partner.actor, { now: t0 });
    await confirmBooking(confirmed.reference, partner.actor, { now: t0 });
    // b's holds are created first, so ordering by creation alone would interleave the pools
    const heldB = await holdsIn(b, 2, t0);
    const heldA = await holdsIn(a, 4, t0);
    const db = getDb();
    const before = new Map(
      (await db.inventoryPool.findMany({ where: { id: { in: [a.poolId, b.poolId] } } })).map((p) => [p.id, p]),
    );
    const later = new Date(t0.getTime() + 600_000);

    expect(await expireHolds({ now: later, correlationId: "cor_expiry_same_events" })).toBe(6);
    expect(await expireHolds({ now: later })).toBe(0);

    for (const [pool, held] of [
      [a, heldA],
      [b, heldB],
    ] as const) {
      expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
      const start = before.get(pool.poolId)!;
      const after = await db.inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } });
      expect(after).toMatchObject({
        held: start.held - held.length,
        available: start.available + held.length,
        inventoryVersion: start.inventoryVersion + held.length,
        updatedAt: later,
      });
      for (const [i, hold] of held.entries()) {
        const n = i + 1;
        const version = start.inventoryVersion + n;
        const booking = await db.booking.findUniqueOrThrow({ where: { id: hold.id } });
        expect(booking).toMatchObject({
          status: "EXPIRED",
          expiredAt: later,
          version: hold.version + 1,
          inventoryVersion: version,
          lastEventAt: later,
          updatedAt: later,
        });
        const unit = await db.unit.findUniqueOrThrow({ where: { id: booking.unitId } });
        expect(unit).toMatchObject({ status: "AVAILABLE", statusChangedAt: later });

        const events = await db.event.findMany({
          where: { bookingId: hold.id, correlationId: "cor_expiry_same_events" },
          orderBy: { seq: "asc" },
        });
        const shape = events.map((e) => ({
          id: e.id.slice(0, 14),
          type: e.type,
          aggregateType: e.aggregateType,
          aggregateId: e.aggregateId,
          aggregateVersion: e.aggregateVersion,
          facilityId: e.facilityId,
          partnerId: e.partnerId,
          createdAt: e.createdAt,
          data: e.data,
        }));
        const idPrefix = `evt_${events[0]!.id.slice(4, 14)}`;
        expect(idPrefix).toMatch(/^evt_[0-9a-z]{10}$/);
        expect(shape).toEqual([
          {
            id: idPrefix,
            type: "inventory.updated",
            aggregateType: "pool",
            aggregateId: pool.poolId,
            aggregateVersion: version,
            facilityId: pool.facilityId,
            partnerId: partner.id,
            createdAt: later,
            data: {
              facility_code: pool.facilityCode,
              unit_type_code: pool.unitTypeCode,
              total: start.total,
              available: start.available + n,
              held: start.held - n,
              booked: start.booked,
              occupied: start.occupied,
              blocked: start.blocked,
              inventory_version: version,
              cause: "booking.expired",
            },
          },
          {
            id: idPrefix,
            type: "booking.expired",
            aggregateType: "booking",
            aggregateId: hold.id,
            aggregateVersion: hold.version + 1,
            facilityId: pool.facilityId,
            partnerId: partner.id,
            createdAt: later,
            data: {
              reference: hold.reference,
              facility_code: pool.facilityCode,
              unit_type_code: pool.unitTypeCode,
              unit_code: hold.unitCode,
              status: "expired",
              hold_expired_at: booking.holdExpiresAt!.toISOString(),
              inventory_version: version,
            },
          },
        ]);
        // ids sort by the (simulated) time they were written at, like every event id
        expect(events[0]!.id.slice(4, 14)).toBe(events[1]!.id.slice(4, 14));
        expect(events[1]!.seq).toBe(events[0]!.seq + 1n);

        const audit = await db.auditEntry.findMany({ where: { targetId: hold.reference, action: "booking.expire" } });
        expect(audit.map((e) => ({ ...e, id: 0 }))).toEqual([
          {
            id: 0,
            actorType: "SYSTEM",
            actorId: "expire-holds",
            actorLabel: "system:expire-holds",
            action: "booking.expire",
            targetType: "booking",
            targetId: hold.reference,
            facilityId: pool.facilityId,
            result: "SUCCESS",
            reason: null,
            ip: null,
            userAgent: null,
            scope: null,
            correlationId: "cor_expiry_same_events",
            metadata: {},
            occurredAt: later,
          },
        ]);
      }
    }
    // the confirmed booking was not touched
    expect((await db.booking.findUniqueOrThrow({ where: { id: confirmed.id } })).status).toBe("CONFIRMED");
  });

  it("splits the pools between lanes: each lane expires only its own, together they expire every hold once, side by side", async () => {
    const t0 = new Date(Date.now() - 3_600_000);
    const later = new Date(t0.getTime() + 600_000);
    const db = getDb();
    const holdsOf = async (count: number) => {
      const pools: TestPool[] = [];
      for (let i = 0; i < count; i++) pools.push(await createFacilityWithPool({ units: 3 }));
      const holds = [];
      for (const pool of pools) holds.push(...(await holdsIn(pool, 3, t0)));
      return { pools, holds };
    };
    // every hold of an earlier test is gone, so what expires here is these holds
    expect(await expireHolds({ now: later })).toBe(0);

    // one lane at a time: disjoint shares that cover every pool
    const first = await holdsOf(12);
    const share: Set<string>[] = [];
    for (let index = 0; index < 3; index++) {
      const before = new Set((await db.booking.findMany({ where: { status: "EXPIRED" }, select: { id: true } })).map((b) => b.id));
      await expireHolds({ now: later, limit: 1000, lane: { index, of: 3 } });
      const expiredNow = await db.booking.findMany({ where: { status: "EXPIRED", id: { notIn: [...before] } }, select: { poolId: true } });
      share.push(new Set(expiredNow.map((b) => b.poolId)));
    }
    const all = first.pools.map((p) => p.poolId).sort();
    expect(share.flatMap((s) => [...s]).sort()).toEqual(all); // each pool in exactly one lane
    // 12 pools all hashing to one lane would be a 1 in 177,147 chance; a lane that takes every pool is a broken filter
    expect(share.filter((s) => s.size > 0).length).toBeGreaterThan(1);

    // every lane at once, in small batches: each hold expired once, every invariant kept
    const second = await holdsOf(12);
    expect(await expireAllDue({ lanes: 3, limit: 2, now: later, correlationId: "cor_expiry_lanes" })).toBe(second.holds.length);
    const events = await db.event.groupBy({
      by: ["bookingId"],
      where: { bookingId: { in: second.holds.map((h) => h.id) }, type: "booking.expired" },
      _count: true,
    });
    expect(events.map((e) => e._count)).toEqual(second.holds.map(() => 1));
    for (const pool of [...first.pools, ...second.pools]) expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
    await expect(expireHolds({ lane: { index: 3, of: 3 } })).rejects.toThrow(RangeError);
  });

  it("never lets a confirm and the expiry both win a hold, under many concurrent confirms", { timeout: 240_000 }, async () => {
    const units = 60;
    const pools = [await createFacilityWithPool({ units }), await createFacilityWithPool({ units: 20 })];
    const holds = [];
    for (const pool of pools) {
      const count = pool === pools[0] ? units : 20;
      for (let i = 0; i < count; i++) holds.push(await createHold(holdInput(pool, { hold_ttl_seconds: 3600 }), partner.actor));
    }
    // The expiry runs an hour ahead (every hold is due for it); the confirms run now (no
    // hold has lapsed for them), so each hold goes to whichever takes its lock first.
    const expiryNow = new Date(Date.now() + 2 * 3_600_000);
    const answers = new Map<string, "confirmed" | "expired">();
    let expired = 0;
    const expiry = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      for (let n = 1; n > 0; ) {
        n = await retryAsPartner(() => expireHolds({ now: expiryNow, limit: 7 }));
        expired += n;
      }
    })();
    const queue = [...holds].sort(() => Math.random() - 0.5);
    const confirmer = async () => {
      for (let hold = queue.pop(); hold; hold = queue.pop()) {
        const { reference } = hold;
        try {
          const result = await retryAsPartner(() => confirmBooking(reference, partner.actor));
          expect(result.status).toBe("CONFIRMED");
          answers.set(hold.id, "confirmed");
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== "HOLD_EXPIRED") throw error;
          answers.set(hold.id, "expired");
        }
      }
    };
    await Promise.all([expiry, ...Array.from({ length: 8 }, confirmer)]);
    // anything the confirms never reached in time is swept now
    for (let n = 1; n > 0; ) expired += (n = await expireHolds({ now: expiryNow }));

    const db = getDb();
    const rows = await db.booking.findMany({ where: { id: { in: holds.map((h) => h.id) } }, select: { id: true, status: true, version: true } });
    const events = await db.event.findMany({
      where: { bookingId: { in: holds.map((h) => h.id) }, type: { in: ["booking.confirmed", "booking.expired"] } },
      select: { bookingId: true, type: true, aggregateVersion: true },
    });
    const confirmedAnswers = [...answers].filter(([, a]) => a === "confirmed").map(([id]) => id);
    // each booking: its final status matches the answer its confirm got, and exactly one
    // of the two events, at version 2
    const wrong = rows.filter((row) => {
      const mine = events.filter((e) => e.bookingId === row.id);
      const won = answers.get(row.id) === "confirmed";
      const type = won ? "booking.confirmed" : "booking.expired";
      return row.status !== (won ? "CONFIRMED" : "EXPIRED") || row.version !== 2 || mine.length !== 1 || mine[0]!.type !== type || mine[0]!.aggregateVersion !== 2;
    });
    expect(wrong).toEqual([]);
    expect(expired + confirmedAnswers.length).toBe(holds.length);
    for (const pool of pools) expect(await poolInvariantViolations(pool.poolId)).toEqual([]);
  });
});
