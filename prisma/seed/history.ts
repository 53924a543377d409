import crypto from "node:crypto";
import { config } from "../../server/config";
import type { BookingView } from "../../server/domain/bookings/booking-view";
import { cancelBooking } from "../../server/domain/bookings/cancel-booking";
import { confirmBooking } from "../../server/domain/bookings/confirm-booking";
import { createHold, type CreateHoldInput } from "../../server/domain/bookings/create-hold";
import { expireHolds } from "../../server/domain/bookings/expire-holds";
import { fulfilBooking } from "../../server/domain/bookings/fulfil-booking";
import { blockUnit } from "../../server/domain/inventory/block-unit";
import { unblockUnit } from "../../server/domain/inventory/unblock-unit";
import { actorForUser, type Actor } from "../../server/domain/shared/actor";
import { isDomainError } from "../../server/domain/shared/errors";
import type { Tx } from "../../server/domain/shared/tx";
import type { PrismaClient } from "../../server/generated/prisma/client";
import type { BookingStatus } from "../../server/generated/prisma/enums";
import { ActionQueue } from "./action-queue";
import {
  API_KEY_SCOPES,
  DEMO_FACILITIES,
  DEMO_PARTNER_CODES,
  DEMO_UNIT_TYPE_CODES,
  DEMO_USER_EMAILS,
  DEMO_USERS,
  type DemoFacilityCode,
  type DemoFacilityDef,
  type DemoPartnerCode,
  type DemoUnitTypeCode,
} from "./catalog";
import { drawCustomer, PartnerReferences } from "./customers";
import {
  ABANDON_CANCELLED,
  ABANDON_REASONS,
  BASELINE_HOLDS_PER_UNIT,
  BLOCK_PLANS,
  clamp,
  CONFIRMED_CANCELLED,
  CONVERSION,
  CUSTOMER_REQUEST,
  DAILY_CHURN,
  EXPECTED_YIELD,
  GAP_CLOSED_PER_DAY,
  HISTORIC_BLOCKS_PER_FACILITY,
  HISTORY_DAYS,
  HOLD_WEEKDAY,
  LEAD_DAYS,
  LIVE_HOLDS,
  LIVE_WINDOW_MS,
  LOOKAHEAD_DAYS,
  MIN_TENANCY_MS,
  MOVE_OUT,
  MOVE_OUT_WEEKDAY,
  ONLINE_HOURS,
  PARTNER_CANCEL_REASONS,
  PARTNER_CLIENT,
  PARTNER_SHARE,
  poisson,
  SELL_OUT_HOLDS_PER_UNIT,
  SELLS_OUT,
  targetOccupancy,
} from "./history-shape";
import { createRandom, seedFor, type Random } from "./random";
import type { SeedRefs } from "./steps";
import { addDays, DAY_MS, daysBetween, HOUR_MS, localDate, MINUTE_MS, utcMidnight, weekdayOf, zonedInstant } from "./zoned-time";

/**
 * The demo's booking history: about 90 days of holds, confirmations, move-ins, expiries,
 * cancellations, move-outs and maintenance blocks, made only by calling the real domain
 * services on a simulated clock — so every booking, event, audit entry, access grant and
 * pool version is what the services themselves write, and the invariants hold as they
 * would in production.
 *
 * Day 0 is the UTC midnight 90 days before "now". On day 0 the existing tenants are
 * loaded (held, confirmed and moved in); from then on each facility-day's demand is
 * steered per pool towards an occupancy curve (./history-shape.ts) — so the curve holds
 * whatever weekday the history starts on — and the history stops a quarter of an hour
 * before now, which a handful of live holds then fill.
 *
 * Each facility has its own timeline (a queue of timed actions) and its own PRNG stream,
 * so the same "now" gives the same history. Actions run in time order, so each pool's
 * inventory versions rise with its events' timestamps. A simulated UTC day is one
 * transaction per facility, run side by side; the expiry job's runs (expireHolds, which
 * releases every due hold) stay inside their facility because a day starts in one shared
 * transaction until no hold is open anywhere, and each facility's day ends with an expiry
 * run: another facility's due holds are never visible to it.
 */

export { HISTORY_DAYS, HISTORY_STEP_NAME } from "./history-shape";

export interface HistoryOptions {
  /** the end of the history (the real clock by default); the same `now` gives the same history */
  now?: Date;
  /** called with (simulated days done, HISTORY_DAYS) */
  progress?: (done: number, total: number) => void;
}

export interface HistorySummary {
  /** the `now` the history was made for (pass it again to reproduce it) */
  now: Date;
  /** day 0, 00:00 UTC */
  startsAt: Date;
  days: number;
  holds: { attempted: number; created: number; refused: number; live: number };
  confirmed: number;
  fulfilled: number;
  expired: number;
  cancelled: { tentative: number; confirmed: number; moveOuts: number };
  blocks: { created: number; scheduled: number; unblocked: number };
  bookingsByStatus: Record<BookingStatus, number>;
  /** per facility, occupied / total units at the end of each simulated UTC day (index 0 … days) */
  occupancy: Record<DemoFacilityCode, number[]>;
  transactions: number;
  durationMs: number;
}

type Counts = Omit<HistorySummary, "now" | "startsAt" | "days" | "bookingsByStatus" | "occupancy" | "transactions" | "durationMs">;

interface RunContext {
  tx: Tx;
  /** a transaction every facility shares: an expiry run there may release any facility's holds */
  shared: boolean;
}

interface Tenant {
  reference: string;
  since: number;
}

const TRANSACTION = { maxWait: 120_000, timeout: 300_000 } as const;

function seedCorrelationId(): string {
  return `cor_seed_${crypto.randomBytes(12).toString("hex")}`;
}

/** The demo's partners and console users as domain actors, each call a fresh request (correlation id). */
class DemoActors {
  constructor(private readonly refs: SeedRefs) {}

  partner(code: DemoPartnerCode): Actor {
    return {
      type: "PARTNER",
      id: this.refs.partnerIds[code],
      label: code,
      scopes: [...API_KEY_SCOPES],
      facilityIds: null,
      correlationId: seedCorrelationId(),
      apiKeyId: this.refs.apiKeyIds[code],
      ...PARTNER_CLIENT[code],
    };
  }

  user(email: string): Actor {
    const user = DEMO_USERS.find((u) => u.email === email);
    const id = this.refs.userIds[email];
    if (!user || !id) throw new Error(`history: no demo user ${email}`);
    const facilityIds = user.facilityCodes.map((code) => this.refs.facilityIds[code]);
    return actorForUser({ id, email, role: user.role, facilityIds }, { correlationId: seedCorrelationId() });
  }
}

/** One facility's timeline: its demand, its tenants, its blocks. */
class FacilityHistory {
  readonly code: DemoFacilityCode;
  readonly id: string;
  readonly timezone: string;
  readonly queue = new ActionQueue<RunContext>();
  /** TENTATIVE holds not yet confirmed, cancelled or expired: reference → hold_expires_at */
  readonly openHolds = new Map<string, number>();
  readonly references: PartnerReferences;
  private readonly random: Random;
  /** who moves tenants in and out and blocks units: the site manager at LON-01, the ops lead elsewhere */
  private readonly operatorEmail: string;
  private readonly typeOfPool: Map<string, DemoUnitTypeCode>;
  /** FULFILLED bookings, in move-in order */
  private readonly tenants: Tenant[] = [];

  constructor(
    definition: DemoFacilityDef,
    private readonly run: HistoryRun,
  ) {
    this.code = definition.code;
    this.id = run.refs.facilityIds[definition.code];
    this.timezone = definition.timezone;
    this.random = createRandom(seedFor(`history:${definition.code}`));
    this.references = new PartnerReferences(this.random, definition.code);
    this.operatorEmail = definition.code === "LON-01" ? DEMO_USER_EMAILS.manager : DEMO_USER_EMAILS.opsLead;
    this.typeOfPool = new Map(DEMO_UNIT_TYPE_CODES.map((type) => [run.refs.unitTypes[definition.code][type].poolId, type]));
  }

  private get counts(): Counts {
    return this.run.counts;
  }

  private schedule(at: number, action: (ctx: RunContext) => Promise<void>): void {
    this.queue.push(at, action);
  }

  nextAt(): number | undefined {
    return this.queue.peek()?.at;
  }

  async runUntil(ctx: RunContext, until: number): Promise<void> {
    for (let next = this.queue.peek(); next && next.at <= until; next = this.queue.peek()) {
      await this.queue.pop()!.run(ctx);
    }
  }

  pickPartner(): DemoPartnerCode {
    return DEMO_PARTNER_CODES[this.random.weightedIndex(DEMO_PARTNER_CODES.map((code) => PARTNER_SHARE[code]))]!;
  }

  // ───────── the plan ─────────

  /** What is known up front: the existing tenants, each day's demand, the maintenance blocks. */
  plan(): void {
    const { startsAt, simulatedUntil, day0 } = this.run;
    this.planExistingTenants();
    const demandFrom = startsAt + HOUR_MS;
    const last = localDate(this.timezone, simulatedUntil);
    for (let date = localDate(this.timezone, demandFrom); date <= last; date = addDays(date, 1)) {
      const from = Math.max(zonedInstant(this.timezone, date, 0), demandFrom);
      this.schedule(from, (ctx) => this.planDay(ctx, date, from));
    }
    const blockDays = [
      ...Array.from({ length: HISTORIC_BLOCKS_PER_FACILITY }, () => this.random.int(3, HISTORY_DAYS - 6)),
      // a recent one, likely still running at the end
      HISTORY_DAYS - this.random.int(1, 3),
    ];
    for (const day of blockDays) {
      const at = zonedInstant(this.timezone, addDays(day0, day), this.random.int(480, 1020) + this.random.next());
      if (at > demandFrom) this.schedule(at, (ctx) => this.block(ctx, at));
    }
    const scheduleAt = simulatedUntil - 45 * MINUTE_MS;
    if (this.code === "LON-01" && scheduleAt > demandFrom) this.schedule(scheduleAt, (ctx) => this.scheduleFutureBlock(ctx, scheduleAt));
  }

  /** Day 0: the tenants already in the building, held, confirmed and moved in one after another. */
  private planExistingTenants(): void {
    let at = this.run.startsAt + 5 * MINUTE_MS;
    for (const type of DEMO_UNIT_TYPE_CODES) {
      const units = this.run.refs.unitTypes[this.code][type].units;
      const count = clamp(Math.round(units * targetOccupancy(this.code, type, 0)) + this.random.int(-1, 1), 0, units);
      for (let i = 0; i < count; i++) {
        const holdAt = at;
        at += this.random.int(3_000, 9_000);
        this.schedule(holdAt, (ctx) => this.existingTenant(ctx, type, holdAt));
      }
    }
  }

  private async existingTenant(ctx: RunContext, type: DemoUnitTypeCode, at: number): Promise<void> {
    const partner = this.pickPartner();
    const booking = await this.hold(ctx, type, partner, at, this.run.day0);
    if (!booking) return;
    const confirmAt = at + this.random.int(20_000, 90_000);
    const fulfilAt = at + this.random.int(3, 12) * MINUTE_MS;
    this.schedule(confirmAt, (c) => this.confirm(c, booking.reference, partner, confirmAt));
    this.schedule(fulfilAt, (c) => this.fulfil(c, booking.reference, fulfilAt));
  }

  /** One local day: how many holds each pool gets and when, and how many tenants leave. */
  private async planDay(ctx: RunContext, date: string, from: number): Promise<void> {
    const day = daysBetween(this.run.day0, date);
    const weekday = weekdayOf(date);
    const pools = await ctx.tx.inventoryPool.findMany({
      where: { facilityId: this.id },
      select: { id: true, total: true, held: true, booked: true, occupied: true },
    });
    const typeIndex = (poolId: string) => DEMO_UNIT_TYPE_CODES.indexOf(this.typeOfPool.get(poolId)!);
    pools.sort((a, b) => typeIndex(a.id) - typeIndex(b.id));

    let occupied = 0;
    for (const pool of pools) {
      const type = this.typeOfPool.get(pool.id)!;
      occupied += pool.occupied;
      const committed = pool.occupied + pool.booked * (1 - CONFIRMED_CANCELLED) + pool.held * EXPECTED_YIELD;
      const gap = targetOccupancy(this.code, type, day + LOOKAHEAD_DAYS) * pool.total - committed;
      const moveInsWanted = Math.max(0, gap) * GAP_CLOSED_PER_DAY + pool.occupied * DAILY_CHURN;
      const baseline = pool.total * (SELLS_OUT[this.code] === type ? SELL_OUT_HOLDS_PER_UNIT : BASELINE_HOLDS_PER_UNIT);
      const rate = Math.max(moveInsWanted / EXPECTED_YIELD, baseline) * HOLD_WEEKDAY[weekday]!;
      const holds = poisson(this.random, rate);
      for (let i = 0; i < holds; i++) {
        let partner = this.pickPartner();
        // The phone desk is closed on Sundays.
        if (partner === "PHONEDESK" && weekday === 0) partner = this.random.chance(0.6) ? "MARKETPLACE" : "WEBSITE";
        const saturday = weekday === 6;
        const minute =
          partner === "PHONEDESK"
            ? this.random.int(saturday ? 600 : 540, saturday ? 959 : 1079) + this.random.next()
            : this.random.weightedIndex(ONLINE_HOURS) * 60 + this.random.next() * 60;
        const at = zonedInstant(this.timezone, date, minute);
        if (at >= from) this.schedule(at, (c) => this.newHold(c, type, partner, at));
      }
    }

    const moveOuts = poisson(this.random, occupied * DAILY_CHURN * MOVE_OUT_WEEKDAY[weekday]!);
    for (let i = 0; i < moveOuts; i++) {
      const at = zonedInstant(this.timezone, date, this.random.int(540, 1050) + this.random.next());
      if (at >= from) this.schedule(at, (c) => this.moveOut(c, at));
    }
  }

  // ───────── bookings ─────────

  /** A partner's hold, or null when the pool is full (INVENTORY_UNAVAILABLE, as a partner would get it). */
  async hold(
    ctx: RunContext,
    type: DemoUnitTypeCode,
    partner: DemoPartnerCode,
    at: number,
    moveInDate: string,
    holdTtlSeconds?: number,
  ): Promise<BookingView | null> {
    const input: CreateHoldInput = {
      facility_code: this.code,
      unit_type_code: type,
      partner_booking_reference: this.references.next(partner, localDate(this.timezone, at)),
      customer: drawCustomer(this.random, this.code, partner),
      move_in_date: moveInDate,
      ...(holdTtlSeconds ? { hold_ttl_seconds: holdTtlSeconds } : {}),
    };
    this.counts.holds.attempted++;
    try {
      const booking = await createHold(input, this.run.actors.partner(partner), { tx: ctx.tx, now: new Date(at) });
      this.counts.holds.created++;
      this.openHolds.set(booking.reference, booking.holdExpiresAt.getTime());
      return booking;
    } catch (error) {
      if (isDomainError(error) && error.code === "INVENTORY_UNAVAILABLE") {
        this.counts.holds.refused++;
        return null;
      }
      throw error;
    }
  }

  private async newHold(ctx: RunContext, type: DemoUnitTypeCode, partner: DemoPartnerCode, at: number): Promise<void> {
    const moveInDate = addDays(localDate(this.timezone, at), this.random.weightedIndex(LEAD_DAYS[partner]));
    const booking = await this.hold(ctx, type, partner, at, moveInDate);
    if (!booking) return;
    const ttl = booking.holdExpiresAt.getTime() - at;
    if (this.random.chance(CONVERSION[partner])) {
      const confirmAt = at + this.random.int(40_000, Math.floor(ttl * 0.85));
      this.schedule(confirmAt, (c) => this.confirmThenPlan(c, booking.reference, partner, moveInDate, confirmAt));
    } else if (this.random.chance(ABANDON_CANCELLED)) {
      const cancelAt = at + this.random.int(30_000, Math.floor(ttl * 0.9));
      const reason = this.random.pick(ABANDON_REASONS);
      this.schedule(cancelAt, (c) => this.cancel(c, booking.reference, reason, this.run.actors.partner(partner), cancelAt, "tentative"));
    } else {
      // Nobody acts: the hold runs out, and the expiry job notices within seconds.
      const sweepAt = booking.holdExpiresAt.getTime() + this.random.int(2_000, 45_000);
      this.schedule(sweepAt, (c) => this.run.expire(c, sweepAt, this));
    }
  }

  private async confirm(ctx: RunContext, reference: string, partner: DemoPartnerCode, at: number): Promise<void> {
    await confirmBooking(reference, this.run.actors.partner(partner), { tx: ctx.tx, now: new Date(at) });
    this.openHolds.delete(reference);
    this.counts.confirmed++;
  }

  private async confirmThenPlan(
    ctx: RunContext,
    reference: string,
    partner: DemoPartnerCode,
    moveInDate: string,
    at: number,
  ): Promise<void> {
    await this.confirm(ctx, reference, partner, at);
    const moveInMorning = zonedInstant(this.timezone, moveInDate, 8 * 60);
    if (this.random.chance(CONFIRMED_CANCELLED)) {
      const cancelAt =
        moveInMorning - at > 3 * HOUR_MS
          ? this.random.int(at + 2 * HOUR_MS, moveInMorning - HOUR_MS)
          : at + this.random.int(10, 90) * MINUTE_MS;
      if (this.random.chance(0.5)) {
        const reason = this.random.pick(PARTNER_CANCEL_REASONS);
        this.schedule(cancelAt, (c) => this.cancel(c, reference, reason, this.run.actors.partner(partner), cancelAt, "confirmed"));
      } else {
        // The customer rang support.
        this.schedule(cancelAt, (c) =>
          this.cancel(c, reference, CUSTOMER_REQUEST, this.run.actors.user(DEMO_USER_EMAILS.support), cancelAt, "confirmed"),
        );
      }
      return;
    }
    const officeTime = zonedInstant(this.timezone, moveInDate, this.random.int(510, 1080) + this.random.next());
    const fulfilAt = Math.max(officeTime, at + this.random.int(20, 90) * MINUTE_MS);
    this.schedule(fulfilAt, (c) => this.fulfil(c, reference, fulfilAt));
  }

  private async fulfil(ctx: RunContext, reference: string, at: number): Promise<void> {
    await fulfilBooking(reference, this.run.actors.user(this.operatorEmail), { tx: ctx.tx, now: new Date(at) });
    this.tenants.push({ reference, since: at });
    this.counts.fulfilled++;
  }

  private async cancel(
    ctx: RunContext,
    reference: string,
    reason: string,
    actor: Actor,
    at: number,
    kind: "tentative" | "confirmed",
  ): Promise<void> {
    await cancelBooking(reference, { reason }, actor, { tx: ctx.tx, now: new Date(at) });
    this.openHolds.delete(reference);
    this.counts.cancelled[kind]++;
  }

  private async moveOut(ctx: RunContext, at: number): Promise<void> {
    // Tenants are kept in move-in order, so those settled in long enough to leave are a prefix.
    const settled = this.tenants.filter((tenant) => tenant.since <= at - MIN_TENANCY_MS).length;
    if (settled === 0) return;
    const [tenant] = this.tenants.splice(this.random.int(0, settled - 1), 1);
    await cancelBooking(tenant!.reference, { reason: MOVE_OUT }, this.run.actors.user(this.operatorEmail), {
      tx: ctx.tx,
      now: new Date(at),
    });
    this.counts.cancelled.moveOuts++;
  }

  // ───────── maintenance blocks ─────────

  /** A free unit with no block on it, chosen at random (reading is fine; writing is the services' job). */
  private async freeUnit(ctx: RunContext): Promise<string | null> {
    const free = await ctx.tx.$queryRaw<{ code: string }[]>`
      SELECT u.code FROM units u
      WHERE u.facility_id = ${this.id}::uuid AND u.status = 'AVAILABLE'
        AND NOT EXISTS (SELECT 1 FROM maintenance_blocks b WHERE b.unit_id = u.id AND b.status IN ('SCHEDULED', 'ACTIVE'))
      ORDER BY u.code`;
    return free.length ? this.random.pick(free).code : null;
  }

  private async block(ctx: RunContext, at: number): Promise<void> {
    const unitCode = await this.freeUnit(ctx);
    if (!unitCode) return;
    const plan = BLOCK_PLANS[this.random.weightedIndex(BLOCK_PLANS.map((p) => p.weight))]!;
    const outFor = this.random.int(plan.hours[0] * 60, plan.hours[1] * 60) * MINUTE_MS;
    const endsAt = plan.announcesEnd ? at + outFor : null;
    const { block } = await blockUnit(
      {
        facility_code: this.code,
        unit_code: unitCode,
        reason: plan.reason,
        note: this.random.pick(plan.notes),
        ...(endsAt ? { ends_at: new Date(endsAt).toISOString() } : {}),
      },
      this.run.actors.user(this.operatorEmail),
      { tx: ctx.tx, now: new Date(at) },
    );
    this.counts.blocks.created++;
    // Work given an expected end usually finishes a little early; open-ended work when it is done.
    const doneAt = Math.max(endsAt ? endsAt - this.random.int(10, 120) * MINUTE_MS : at + outFor, at + MINUTE_MS);
    const note = this.random.pick(plan.doneNotes);
    this.schedule(doneAt, (c) => this.unblock(c, block.id, note, doneAt));
  }

  private async unblock(ctx: RunContext, blockId: string, note: string, at: number): Promise<void> {
    const { changed } = await unblockUnit({ block_id: blockId, note }, this.run.actors.user(this.operatorEmail), {
      tx: ctx.tx,
      now: new Date(at),
    });
    if (changed) this.counts.blocks.unblocked++;
  }

  /** A block booked for later this week, so the board shows one waiting to start. */
  private async scheduleFutureBlock(ctx: RunContext, at: number): Promise<void> {
    const unitCode = await this.freeUnit(ctx);
    if (!unitCode) return;
    const day = addDays(localDate(this.timezone, at), 3);
    await blockUnit(
      {
        facility_code: this.code,
        unit_code: unitCode,
        reason: "OTHER",
        note: "Fire door inspection on this corridor",
        starts_at: new Date(zonedInstant(this.timezone, day, 8 * 60)).toISOString(),
        ends_at: new Date(zonedInstant(this.timezone, day, 13 * 60)).toISOString(),
      },
      this.run.actors.user(this.operatorEmail),
      { tx: ctx.tx, now: new Date(at) },
    );
    this.counts.blocks.scheduled++;
  }
}

/** The whole history: the facilities' timelines, run day by day. */
class HistoryRun {
  readonly actors: DemoActors;
  readonly facilities: FacilityHistory[];
  readonly counts: Counts = {
    holds: { attempted: 0, created: 0, refused: 0, live: 0 },
    confirmed: 0,
    fulfilled: 0,
    expired: 0,
    cancelled: { tentative: 0, confirmed: 0, moveOuts: 0 },
    blocks: { created: 0, scheduled: 0, unblocked: 0 },
  };
  readonly occupancy = Object.fromEntries(DEMO_FACILITIES.map((f) => [f.code, [] as number[]])) as unknown as Record<
    DemoFacilityCode,
    number[]
  >;
  /** 00:00 UTC of day 0 */
  readonly startsAt: number;
  /** the last simulated instant; the live holds follow it */
  readonly simulatedUntil: number;
  /** day 0 as YYYY-MM-DD */
  readonly day0: string;
  transactions = 0;

  constructor(
    private readonly db: PrismaClient,
    readonly refs: SeedRefs,
    readonly now: number,
  ) {
    this.startsAt = utcMidnight(now) - HISTORY_DAYS * DAY_MS;
    this.simulatedUntil = now - LIVE_WINDOW_MS;
    this.day0 = new Date(this.startsAt).toISOString().slice(0, 10);
    this.actors = new DemoActors(refs);
    this.facilities = DEMO_FACILITIES.map((definition) => new FacilityHistory(definition, this));
    for (const facility of this.facilities) facility.plan();
  }

  /**
   * The expiry job's run at `at`. In a facility's own transaction it can only release that
   * facility's holds (see the class comment); the count is checked against the open holds
   * so a breach of that rule fails loudly rather than skewing the history.
   */
  async expire(ctx: RunContext, at: number, facility: FacilityHistory): Promise<void> {
    const released = await expireHolds({ tx: ctx.tx, now: new Date(at) });
    let due = 0;
    for (const f of ctx.shared ? this.facilities : [facility]) {
      for (const [reference, expiresAt] of f.openHolds) {
        if (expiresAt <= at) {
          f.openHolds.delete(reference);
          due++;
        }
      }
    }
    if (released !== due) {
      throw new Error(`history: the expiry run at ${new Date(at).toISOString()} released ${released} holds where ${due} were due`);
    }
    this.counts.expired += released;
  }

  private anyOpenHold(): boolean {
    return this.facilities.some((f) => f.openHolds.size > 0);
  }

  /** Runs every facility's actions in time order until no hold is open, or until `until`; true if a quiet moment came. */
  private async runTogether(ctx: RunContext, until: number): Promise<boolean> {
    while (this.anyOpenHold()) {
      let first: FacilityHistory | undefined;
      for (const f of this.facilities) {
        const at = f.nextAt();
        if (at !== undefined && at <= until && (first === undefined || at < first.nextAt()!)) first = f;
      }
      if (!first) return false;
      await first.queue.pop()!.run(ctx);
    }
    return true;
  }

  private async transaction(work: (tx: Tx) => Promise<void>): Promise<void> {
    await this.db.$transaction((tx) => work(tx), TRANSACTION);
    this.transactions++;
  }

  async simulate(progress: (done: number, total: number) => void): Promise<void> {
    progress(0, HISTORY_DAYS);
    for (let day = 0; day <= HISTORY_DAYS; day++) {
      const dayEnd = Math.min(this.startsAt + (day + 1) * DAY_MS, this.simulatedUntil);
      let separately = true;
      if (this.anyOpenHold()) {
        await this.transaction(async (tx) => {
          const ctx = { tx, shared: true };
          if (!(await this.runTogether(ctx, dayEnd))) {
            separately = false;
            await this.expire(ctx, dayEnd, this.facilities[0]!);
          }
        });
      }
      if (separately) {
        // Settled, not raced: a failing facility must not leave the others' transactions running unobserved.
        const days = await Promise.allSettled(
          this.facilities.map((facility) =>
            this.transaction(async (tx) => {
              const ctx = { tx, shared: false };
              await facility.runUntil(ctx, dayEnd);
              await this.expire(ctx, dayEnd, facility);
            }),
          ),
        );
        const failed = days.find((result) => result.status === "rejected");
        if (failed) throw failed.reason;
      }
      if (day === HISTORY_DAYS) {
        await this.transaction(async (tx) => {
          const ctx = { tx, shared: true };
          await this.liveHolds(ctx);
          await this.expire(ctx, this.now, this.facilities[0]!);
        });
      }
      await this.recordOccupancy();
      progress(day, HISTORY_DAYS);
    }
  }

  /** Holds made in the last minutes before now, so the live holds board has something on it. */
  private async liveHolds(ctx: RunContext): Promise<void> {
    const random = createRandom(seedFor("history:live"));
    const times = Array.from({ length: LIVE_HOLDS }, () => this.now - random.int(60, 12 * 60) * 1000).sort((a, b) => a - b);
    const smallFirst = DEMO_UNIT_TYPE_CODES.map((_, i) => DEMO_UNIT_TYPE_CODES.length - i);
    for (const at of times) {
      const facility = random.pick(this.facilities);
      const partner = facility.pickPartner();
      const moveInDate = addDays(localDate(facility.timezone, at), random.weightedIndex(LEAD_DAYS[partner]));
      // Longer than the partners' default, so the board still shows them a while after start-up.
      const ttl = random.pick([1_800, 2_700, 3_600]);
      // A full pool refuses, as it would a partner; the customer then tries another size.
      for (let attempt = 0; attempt < 4; attempt++) {
        const type = DEMO_UNIT_TYPE_CODES[random.weightedIndex(smallFirst)]!;
        if (await facility.hold(ctx, type, partner, at, moveInDate, ttl)) {
          this.counts.holds.live++;
          break;
        }
      }
    }
  }

  private async recordOccupancy(): Promise<void> {
    const rows = await this.db.$queryRaw<{ facility_id: string; occupied: number; total: number }[]>`
      SELECT facility_id, sum(occupied)::int AS occupied, sum(total)::int AS total
      FROM inventory_pools GROUP BY facility_id`;
    for (const facility of this.facilities) {
      const row = rows.find((r) => r.facility_id === facility.id);
      this.occupancy[facility.code].push(row && row.total > 0 ? row.occupied / row.total : 0);
    }
  }

  async bookingsByStatus(): Promise<Record<BookingStatus, number>> {
    const counts: Record<BookingStatus, number> = { TENTATIVE: 0, CONFIRMED: 0, FULFILLED: 0, EXPIRED: 0, CANCELLED: 0, MOVED_OUT: 0 };
    const rows = await this.db.booking.groupBy({ by: ["status"], _count: { _all: true } });
    for (const row of rows) counts[row.status] = row._count._all;
    return counts;
  }
}

/**
 * Generates the history on a freshly seeded database (the base steps committed, `refs`
 * their ids). Needs HOLDFAST_ENCRYPTION_KEY: move-ins issue access codes, stored
 * encrypted. Runs up to three transactions side by side: with a pool of fewer than 3
 * connections it still works, only slower.
 */
export async function seedHistory(db: PrismaClient, refs: SeedRefs, options: HistoryOptions = {}): Promise<HistorySummary> {
  if (!config().secrets.encryptionKey) {
    throw new Error("The demo history needs HOLDFAST_ENCRYPTION_KEY (move-ins store their access codes encrypted).");
  }
  const started = Date.now();
  const run = new HistoryRun(db, refs, (options.now ?? new Date()).getTime());
  await run.simulate(options.progress ?? (() => undefined));
  return {
    now: new Date(run.now),
    startsAt: new Date(run.startsAt),
    days: HISTORY_DAYS,
    ...run.counts,
    bookingsByStatus: await run.bookingsByStatus(),
    occupancy: run.occupancy,
    transactions: run.transactions,
    durationMs: Date.now() - started,
  };
}
