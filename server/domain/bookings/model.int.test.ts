import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  holdInput,
  poolInvariantViolations,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
  type TestUser,
} from "../../../test/factories";
import { getDb } from "../../db";
import type { BookingStatus, UnitStatus } from "../../generated/prisma/enums";
import { blockUnit } from "../inventory/block-unit";
import { unblockUnit } from "../inventory/unblock-unit";
import { DomainError } from "@/server/domain/shared/errors";
import { cancelBooking } from "./cancel-booking";
import { confirmBooking } from "./confirm-booking";
import { createHold } from "./create-hold";
import { expireHolds } from "./expire-holds";
import { fulfilBooking } from "./fulfil-booking";

/**
 * Model-based test of the booking engine and maintenance blocks on one small pool: random
 * sequences of holds, confirms, fulfils, cancels, clock ticks, expiry sweeps, blocks (with
 * and without moving the booking) and unblocks, each run against a tiny in-memory model.
 * After every step the invariants (docs/domain.md#invariants) are checked against the
 * database, and the model's predicted outcome and state against what the services did.
 *
 * expireHolds sweeps every pool with a simulated clock, so this file has a database of
 * its own.
 */

const UNITS = 6;

type Op =
  | { kind: "hold"; ttlSeconds: number }
  | { kind: "confirm" | "fulfil" | "cancel"; pick: number }
  | { kind: "tick" | "expire"; seconds: number }
  | { kind: "block"; unit: number; move: boolean }
  | { kind: "unblock"; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("hold" as const), ttlSeconds: fc.constantFrom(60, 120, 300) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("confirm" as const), pick: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("fulfil" as const), pick: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("tick" as const), seconds: fc.constantFrom(30, 90, 200) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("expire" as const), seconds: fc.constantFrom(30, 90, 200, 400) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("block" as const), unit: fc.nat(UNITS - 1), move: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("unblock" as const), pick: fc.nat(50) }) },
);

type Outcome = "ok" | "no-op" | "skip" | string;

interface ModelBooking {
  id: string;
  reference: string;
  status: BookingStatus;
  unit: string;
  expiresAt: number;
}

class Model {
  clock: number;
  version = 0;
  units = new Map<string, UnitStatus>(Array.from({ length: UNITS }, (_, i) => [`A-${100 + i}`, "AVAILABLE" as UnitStatus]));
  bookings: ModelBooking[] = [];
  blocks: { id: string; unit: string; status: "ACTIVE" | "ENDED" }[] = [];

  constructor(clock: number) {
    this.clock = clock;
  }

  /** What a read would call it: a TENTATIVE booking past its hold is expired. */
  effective(b: ModelBooking): BookingStatus {
    return b.status === "TENTATIVE" && b.expiresAt <= this.clock ? "EXPIRED" : b.status;
  }

  liveOn(unit: string): ModelBooking | undefined {
    return this.bookings.find((b) => b.unit === unit && ["TENTATIVE", "CONFIRMED", "FULFILLED"].includes(b.status));
  }

  firstAvailable(except?: string): string | undefined {
    return [...this.units.entries()].filter(([code, s]) => s === "AVAILABLE" && code !== except).map(([code]) => code).sort()[0];
  }
}

let dropDatabase: () => Promise<void>;
let partner: TestPartner;
let opsLead: TestUser;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("model");
  partner = await createPartner();
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
});
afterAll(() => dropDatabase());

async function attempt(run: () => Promise<unknown>): Promise<{ code: Outcome; value?: unknown; error?: DomainError }> {
  try {
    return { code: "ok", value: await run() };
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, error };
    throw error;
  }
}

async function bookingVersion(id: string): Promise<number> {
  return (await getDb().booking.findUniqueOrThrow({ where: { id }, select: { version: true } })).version;
}

/** Applies one op to the model and the services; returns predicted and actual outcomes. */
async function step(model: Model, pool: TestPool, op: Op): Promise<{ predicted: Outcome; actual: Outcome }> {
  const now = () => ({ now: new Date(model.clock) });
  switch (op.kind) {
    case "hold": {
      const unit = model.firstAvailable();
      const moveIn = new Date(model.clock + 7 * 86_400_000).toISOString().slice(0, 10);
      const result = await attempt(() =>
        createHold(holdInput(pool, { hold_ttl_seconds: op.ttlSeconds, move_in_date: moveIn }), partner.actor, now()),
      );
      if (result.code === "ok" && unit) {
        const view = result.value as Awaited<ReturnType<typeof createHold>>;
        expect(view.unitCode).toBe(unit);
        model.units.set(unit, "HELD");
        model.bookings.push({
          id: view.id,
          reference: view.reference,
          status: "TENTATIVE",
          unit,
          expiresAt: model.clock + op.ttlSeconds * 1000,
        });
        model.version++;
      }
      return { predicted: unit ? "ok" : "INVENTORY_UNAVAILABLE", actual: result.code };
    }
    case "confirm":
    case "fulfil":
    case "cancel": {
      const booking = model.bookings[op.pick % Math.max(model.bookings.length, 1)];
      if (!booking) return { predicted: "skip", actual: "skip" };
      const status = model.effective(booking);
      const before = await bookingVersion(booking.id);
      const result = await attempt(() =>
        op.kind === "confirm"
          ? confirmBooking(booking.reference, partner.actor, now())
          : op.kind === "fulfil"
            ? fulfilBooking(booking.reference, partner.actor, now())
            : cancelBooking(booking.reference, { reason: "model" }, partner.actor, now()),
      );
      const actual = result.code === "ok" ? ((await bookingVersion(booking.id)) > before ? "ok" : "no-op") : result.code;
      let predicted: Outcome;
      if (op.kind === "confirm") {
        predicted =
          status === "TENTATIVE" ? "ok" : status === "EXPIRED" ? "HOLD_EXPIRED" : status === "CONFIRMED" ? "no-op" : "INVALID_TRANSITION";
        if (predicted === "ok") {
          booking.status = "CONFIRMED";
          model.units.set(booking.unit, "BOOKED");
        }
      } else if (op.kind === "fulfil") {
        predicted = status === "CONFIRMED" ? "ok" : status === "FULFILLED" ? "no-op" : "INVALID_TRANSITION";
        if (predicted === "ok") {
          booking.status = "FULFILLED";
          model.units.set(booking.unit, "OCCUPIED");
        }
      } else {
        predicted = status === "CANCELLED" || status === "EXPIRED" ? "no-op" : "ok";
        if (predicted === "ok") {
          booking.status = "CANCELLED";
          model.units.set(booking.unit, "AVAILABLE");
        }
      }
      if (predicted === "ok") model.version++;
      return { predicted, actual };
    }
    case "tick": {
      model.clock += op.seconds * 1000;
      return { predicted: "ok", actual: "ok" };
    }
    case "expire": {
      model.clock += op.seconds * 1000;
      let expired = 0;
      for (let n = await expireHolds(now()); n > 0; n = await expireHolds(now())) expired += n;
      const due = model.bookings.filter((b) => b.status === "TENTATIVE" && b.expiresAt <= model.clock);
      for (const b of due) {
        b.status = "EXPIRED";
        model.units.set(b.unit, "AVAILABLE");
        model.version++;
      }
      return { predicted: `expired ${due.length}`, actual: `expired ${expired}` };
    }
    case "block": {
      const unit = `A-${100 + op.unit}`;
      const status = model.units.get(unit)!;
      const live = model.liveOn(unit);
      const result = await attempt(() =>
        blockUnit(
          { facility_code: pool.facilityCode, unit_code: unit, reason: "OTHER", move_conflicting_booking: op.move },
          opsLead.actor,
          now(),
        ),
      );
      let predicted: Outcome;
      let target: string | undefined;
      if (status === "BLOCKED") predicted = "CONFLICT";
      else if (status === "AVAILABLE") predicted = "ok";
      else if (!live) throw new Error(`model: ${unit} is ${status} with no booking`);
      else {
        const movable = ["TENTATIVE", "CONFIRMED"].includes(model.effective(live));
        target = model.firstAvailable(unit);
        predicted = !movable || !op.move ? "CONFLICT" : target ? "ok" : "INVENTORY_UNAVAILABLE";
        if (result.error) expect(result.error.context.booking_reference).toBe(live.reference);
      }
      if (predicted === "ok") {
        if (live && target) {
          model.units.set(target, status);
          live.unit = target;
          model.version += 2;
        }
        model.units.set(unit, "BLOCKED");
        model.version++;
        const value = result.value as Awaited<ReturnType<typeof blockUnit>> | undefined;
        if (value) model.blocks.push({ id: value.block.id, unit, status: "ACTIVE" });
      }
      return { predicted, actual: result.code };
    }
    case "unblock": {
      const block = model.blocks[op.pick % Math.max(model.blocks.length, 1)];
      if (!block) return { predicted: "skip", actual: "skip" };
      const result = await attempt(() => unblockUnit({ block_id: block.id }, opsLead.actor, now()));
      const changed = (result.value as Awaited<ReturnType<typeof unblockUnit>> | undefined)?.changed;
      const predicted = block.status === "ACTIVE" ? "ok" : "no-op";
      if (predicted === "ok") {
        block.status = "ENDED";
        model.units.set(block.unit, "AVAILABLE");
        model.version++;
      }
      return { predicted, actual: result.code === "ok" ? (changed ? "ok" : "no-op") : result.code };
    }
  }
}

async function expectDatabaseMatches(model: Model, pool: TestPool, where: string) {
  expect(await poolInvariantViolations(pool.poolId), `${where}: invariants`).toEqual([]);
  const db = getDb();
  const poolRow = await db.inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } });
  expect(poolRow.inventoryVersion, `${where}: inventory_version`).toBe(model.version);
  const units = await db.unit.findMany({ where: { poolId: pool.poolId }, select: { code: true, status: true } });
  expect(Object.fromEntries(units.map((u) => [u.code, u.status])), `${where}: unit statuses`).toEqual(Object.fromEntries(model.units));
  const bookings = await db.booking.findMany({ where: { poolId: pool.poolId }, select: { reference: true, status: true, unit: { select: { code: true } } } });
  expect(
    Object.fromEntries(bookings.map((b) => [b.reference, `${b.status}@${b.unit.code}`])),
    `${where}: bookings`,
  ).toEqual(Object.fromEntries(model.bookings.map((b) => [b.reference, `${b.status}@${b.unit}`])));
}

describe("booking engine and maintenance blocks against a model", () => {
  it("keeps the invariants and does what the model predicts, for random sequences of operations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30, size: "max" }), async (ops) => {
        // Earlier runs' holds would be swept by this run's expireHolds: release them first.
        const later = { now: new Date(Date.now() + 365 * 86_400_000) };
        while ((await expireHolds(later)) > 0);
        const pool = await createFacilityWithPool({ units: UNITS });
        const model = new Model(Date.now());
        for (const [i, op] of ops.entries()) {
          const where = `step ${i} ${JSON.stringify(op)}`;
          const { predicted, actual } = await step(model, pool, op);
          expect(actual, where).toBe(predicted);
          await expectDatabaseMatches(model, pool, where);
        }
      }),
      // MODEL_RUNS=500 for a longer hunt
      { numRuns: Number(process.env.MODEL_RUNS ?? 25) },
    );
  }, 600_000);
});
