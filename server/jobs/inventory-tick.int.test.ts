import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, createPartner, holdInput, poolState } from "../../test/factories";
import { disconnectDb, getDb } from "../db";
import { blockUnit } from "../domain/inventory/block-unit";
import { createHold } from "../domain/bookings/create-hold";
import type { Actor } from "../domain/shared/actor";
import { startWorker, type RunningWorker } from "../worker/run-worker";

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

let worker: RunningWorker;
beforeAll(async () => {
  worker = await startWorker({ databaseUrl: process.env.DATABASE_URL!, concurrency: 2, log: pino({ level: "silent" }) });
});
afterAll(async () => {
  await worker.stop();
  await disconnectDb();
});

describe("the worker's inventory tick", () => {
  it("releases a lapsed hold within seconds, with its events", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const partner = await createPartner();
    const held = await createHold(holdInput(pool, { hold_ttl_seconds: 60 }), partner.actor);
    // The hold lapses (move its expiry instead of waiting a minute).
    await getDb().booking.update({ where: { id: held.id }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });
    const row = await eventually(
      () => getDb().booking.findUniqueOrThrow({ where: { id: held.id } }),
      (b) => b.status === "EXPIRED",
    );
    expect(row.status).toBe("EXPIRED");
    const state = await poolState(pool.poolId);
    expect(state.counters).toEqual(state.actual);
    expect(state.counters.available).toBe(2);
    expect(await getDb().event.count({ where: { bookingId: held.id, type: "booking.expired" } })).toBe(1);
  });

  it("starts a scheduled maintenance block when it is due", async () => {
    const pool = await createFacilityWithPool({ units: 2 });
    const user = await getDb().user.create({
      data: { email: `ops-${Date.now()}@example.com`, name: "Ops", role: "OPS_LEAD", passwordHash: "x" },
    });
    const actor: Actor = { type: "USER", id: user.id, label: user.email, scopes: ["unit.block"], facilityIds: null, correlationId: "cor_tick" };
    const unit = await getDb().unit.findFirstOrThrow({ where: { poolId: pool.poolId }, orderBy: { code: "asc" } });
    const startsAt = new Date(Date.now() + 2000);
    await blockUnit(
      { facility_code: pool.facilityCode, unit_code: unit.code, reason: "CLEANING", starts_at: startsAt.toISOString() },
      actor,
    );
    expect((await poolState(pool.poolId)).counters.blocked).toBe(0);
    const state = await eventually(() => poolState(pool.poolId), (s) => s.counters.blocked === 1);
    expect(state.counters).toEqual(state.actual);
    expect(state.counters.blocked).toBe(1);
  });
});
