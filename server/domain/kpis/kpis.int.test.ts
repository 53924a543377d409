import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUnitType,
  createConsoleUser,
  createFacilityWithPool,
  createPartner,
  useOwnDatabase,
  type TestPartner,
  type TestPool,
  type TestUser,
} from "../../../test/factories";
import { getDb } from "../../db";
import { cancelBooking } from "../bookings/cancel-booking";
import { confirmBooking } from "../bookings/confirm-booking";
import { createHold } from "../bookings/create-hold";
import { expireHolds } from "../bookings/expire-holds";
import { fulfilBooking } from "../bookings/fulfil-booking";
import { isDomainError } from "@/server/domain/shared/errors";
import { getKpiDashboard, type KpiDashboard } from "./get-kpi-dashboard";
import { binOf, binValue } from "./histogram";
import { METRIC } from "./metrics";
import { rollupKpis } from "./rollup-kpis";

/**
 * The roll-up and the dashboard against a small fixed data set whose every KPI is worked
 * out by hand below, on a database of this file's own (the roll-up counts every row).
 * Bookings go through the real services on a simulated clock; log-like rows (API
 * requests, sign-ins, webhook deliveries and attempts, reconciliation runs) are written
 * as the services that own them would leave them.
 */

const DAY = "2026-03-09";
const at = (time: string, day = DAY) => new Date(`${day}T${time}Z`);
const NEXT_DAY = "2026-03-10";
/** the roll-up's first "now": after the last fact */
const NOW = at("12:00:00", NEXT_DAY);

let dropDatabase: () => Promise<void>;
let a: TestPool;
let b: TestPool;
let p1: TestPartner;
let p2: TestPartner;
let ops: TestUser;
let manager: TestUser;
/** the roll-up's first run */
let firstRun: Awaited<ReturnType<typeof rollupKpis>>;

async function hold(pool: TestPool, partner: TestPartner, time: Date, unitTypeCode = pool.unitTypeCode) {
  const booking = await createHold(
    {
      facility_code: pool.facilityCode,
      unit_type_code: unitTypeCode,
      partner_booking_reference: `PBR-${time.getTime()}`,
      customer: { name: "Ada Lovelace", email: "ada@example.com" },
      move_in_date: DAY,
    },
    { ...partner.actor, correlationId: `cor_test_${time.getTime()}` },
    { now: time },
  );
  return booking.reference;
}

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("kpis");
  const db = getDb();
  // A: 4 × 10X10 (100 sq ft, 129.00) + 2 × 5X5 (25 sq ft, 49.00); B: 3 × 10X10.
  a = await createFacilityWithPool({ units: 4 });
  await addUnitType(a.facilityId, "5X5", 2);
  b = await createFacilityWithPool({ units: 3, timezone: "America/New_York" });
  p1 = await createPartner();
  p2 = await createPartner();
  ops = await createConsoleUser({ role: "OPS_LEAD" });
  manager = await createConsoleUser({ role: "SITE_MANAGER", facilityIds: [a.facilityId] });

  // ── bookings, in time order ──
  const h1 = await hold(a, p1, at("10:05:00"));
  const h2 = await hold(a, p1, at("10:10:00")); // expires 10:25, swept 10:40
  const h3 = await hold(a, p2, at("10:15:00"));
  await confirmBooking(h1, p1.actor, { now: at("10:18:00") });
  await cancelBooking(h3, { reason: "customer changed their mind" }, p2.actor, { now: at("10:22:00") });
  expect(await expireHolds({ now: at("10:40:00") })).toBe(1);
  const h4 = await hold(a, p2, at("11:10:00"));
  await confirmBooking(h4, p2.actor, { now: at("11:12:00") });
  await fulfilBooking(h1, ops.actor, { now: at("11:30:00") });
  const h5 = await hold(b, p1, at("12:00:00"));
  await confirmBooking(h5, p1.actor, { now: at("12:05:00") });
  await fulfilBooking(h5, ops.actor, { now: at("13:00:00") });
  void h2;
  // h1 moves out the next morning
  await cancelBooking(h1, { reason: "move-out" }, ops.actor, { now: at("09:00:00", NEXT_DAY) });

  // ── partner API requests ──
  const request = (partnerId: string | null, time: string, method: string, route: string, status: number, extra: { code?: string; replayed?: boolean } = {}) => ({
    partnerId,
    method,
    route,
    status,
    code: extra.code ?? null,
    replayed: extra.replayed ?? false,
    durationMs: 12,
    correlationId: `cor_test_api_${time}`,
    createdAt: at(time),
  });
  await db.apiRequestLog.createMany({
    data: [
      request(p1.id, "10:01:00", "POST", "/api/v1/bookings", 201),
      request(p1.id, "10:02:00", "POST", "/api/v1/bookings", 409, { code: "INVENTORY_UNAVAILABLE" }),
      request(p1.id, "10:03:00", "POST", "/api/v1/bookings", 201, { replayed: true }),
      request(p1.id, "10:04:00", "POST", "/api/v1/bookings", 409, { code: "IDEMPOTENCY_KEY_IN_USE" }),
      request(p1.id, "10:05:00", "GET", "/api/v1/availability", 200),
      request(p1.id, "10:06:00", "GET", "/api/v1/availability", 429, { code: "RATE_LIMITED" }),
      request(p1.id, "10:07:00", "POST", "/api/v1/bookings/{reference}/confirm", 200),
      request(null, "10:08:00", "GET", "/api/v1/availability", 401, { code: "UNAUTHENTICATED" }),
      request(p2.id, "11:01:00", "POST", "/api/v1/bookings", 201),
    ],
  });

  // ── console sign-ins ──
  const signIn = (time: string, result: "SUCCESS" | "FAILED" | "DENIED") => ({
    occurredAt: at(time),
    actorType: "USER" as const,
    actorLabel: "someone@test.holdfast",
    action: "auth.sign_in",
    targetType: "user",
    result,
  });
  await db.auditEntry.createMany({ data: [signIn("10:30:00", "FAILED"), signIn("10:31:00", "SUCCESS"), signIn("14:00:00", "DENIED")] });

  // ── reconciliation runs ──
  await db.reconciliationRun.createMany({
    data: [
      { id: "rec_kpi_1", trigger: "MANUAL", status: "SUCCEEDED", startedAt: at("09:00:00"), requestedById: ops.id },
      { id: "rec_kpi_2", trigger: "SCHEDULED", status: "SUCCEEDED", startedAt: at("09:30:00") },
      { id: "rec_kpi_3", trigger: "MANUAL", status: "SUCCEEDED", startedAt: at("15:00:00"), requestedById: ops.id },
    ],
  });

  // ── webhooks: P1's endpoint gets A's first five inventory.updated events ──
  await db.webhookEndpoint.create({ data: { id: "ep_kpi_a", partnerId: p1.id, url: "https://partner.example/hooks", secretCiphertext: "sealed" } });
  const events = await db.event.findMany({
    where: { type: "inventory.updated", facilityId: a.facilityId },
    orderBy: { createdAt: "asc" },
    take: 5,
  });
  expect(events.map((e) => e.createdAt.toISOString().slice(11, 16))).toEqual(["10:05", "10:10", "10:15", "10:18", "10:22"]);
  const after = (i: number, ms: number) => new Date(events[i]!.createdAt.getTime() + ms);
  const delivery = (i: number, extra: Record<string, unknown>) => ({ id: `msg_kpi_${i}`, endpointId: "ep_kpi_a", eventId: events[i]!.id, ...extra });
  await db.webhookDelivery.createMany({
    data: [
      delivery(0, { status: "SUCCEEDED", attemptCount: 1, succeededAt: after(0, 500) }), // lag 500 ms
      delivery(1, { status: "SUCCEEDED", attemptCount: 2, succeededAt: after(1, 6_400) }), // lag 6.4 s
      delivery(2, { status: "DEAD", attemptCount: 1, deadAt: at("11:05:00") }),
      delivery(3, { status: "SUCCEEDED", attemptCount: 1, succeededAt: after(3, 1_800) }), // lag 1.8 s
      delivery(4, { status: "PENDING" }),
    ],
  });
  const attempt = (i: number, n: number, startMs: number, durationMs: number, responseStatus: number | null, trigger = "SCHEDULED") => ({
    deliveryId: `msg_kpi_${i}`,
    endpointId: "ep_kpi_a",
    attemptNumber: n,
    trigger: trigger as "SCHEDULED",
    startedAt: after(i, startMs),
    durationMs,
    responseStatus,
    failureClass: responseStatus === null ? ("TIMEOUT" as const) : responseStatus >= 300 ? ("HTTP_5XX" as const) : null,
    requestHeaders: {},
  });
  await db.webhookAttempt.createMany({
    data: [
      attempt(0, 1, 300, 200, 200),
      attempt(1, 1, 1_000, 100, 500),
      attempt(1, 2, 6_000, 400, 200),
      attempt(2, 1, 1_000, 15_000, null),
      attempt(3, 1, 1_000, 800, 204),
      attempt(4, 1, 1_000, 50, 200, "TEST"), // a test ping: not counted
    ],
  });

  firstRun = await rollupKpis({ now: NOW });
});

afterAll(async () => {
  await dropDatabase();
});

const hourly = (actor = ops.actor, filters: { facility?: string; partner?: string } = {}) =>
  getKpiDashboard(actor, { range: "custom", from: DAY, to: DAY, ...filters }, NOW);
const daily = (actor = ops.actor, filters: { facility?: string; partner?: string } = {}) =>
  getKpiDashboard(actor, { range: "custom", from: "2026-03-05", to: "2026-03-14", ...filters }, NOW);

function valuesAt(dashboard: KpiDashboard, key: string, bucket: string) {
  const kpi = dashboard.kpis.find((k) => k.key === key);
  if (!kpi) throw new Error(`no KPI ${key}`);
  const point = kpi.points.find((p) => p.bucketStart.toISOString() === new Date(bucket).toISOString());
  if (!point) throw new Error(`no bucket ${bucket} in ${key}`);
  return point.values;
}

const kpiOf = (dashboard: KpiDashboard, key: string) => dashboard.kpis.find((k) => k.key === key)!;

describe("KPI roll-up: hand-computed values", () => {
  it("first run backfills from the oldest fact", () => {
    expect(firstRun.full).toBe(true);
    expect(firstRun.from.toISOString()).toBe(`${DAY}T09:00:00.000Z`);
  });

  it("hourly buckets: 24 of them, labelled in UTC without a facility", async () => {
    const d = await hourly();
    expect(d.bucketSize).toBe("HOUR");
    expect(d.timezone).toBe("UTC");
    expect(kpiOf(d, "booking_success").points).toHaveLength(24);
  });

  it("booking success rate, duplicates, 429s and 401s (hourly and daily)", async () => {
    const h = await hourly();
    // 10:00 — hold requests 10:01 (201) and 10:02 (409); the replay and the in-flight duplicate left out
    expect(valuesAt(h, "booking_success", `${DAY}T10:00Z`)).toEqual({ rate: 0.5, succeeded: 1, requests: 2 });
    expect(valuesAt(h, "booking_success", `${DAY}T11:00Z`)).toEqual({ rate: 1, succeeded: 1, requests: 1 });
    expect(valuesAt(h, "booking_success", `${DAY}T12:00Z`).rate).toBeNull();
    // POSTs at 10:00: 10:01, 10:02, 10:03 (replayed), 10:04 (in use), 10:07
    expect(valuesAt(h, "duplicates", `${DAY}T10:00Z`)).toEqual({ absorbed: 2, posts: 5, share: 0.4 });
    expect(valuesAt(h, "rate_limited", `${DAY}T10:00Z`)).toEqual({ limited: 1, requests: 8, share: 1 / 8 });
    expect(valuesAt(h, "auth_failures", `${DAY}T10:00Z`)).toEqual({ signIns: 1, api401: 1 });
    expect(valuesAt(h, "auth_failures", `${DAY}T14:00Z`)).toEqual({ signIns: 1, api401: 0 });

    const d = await daily();
    expect(d.bucketSize).toBe("DAY");
    expect(kpiOf(d, "booking_success").points).toHaveLength(10);
    expect(valuesAt(d, "booking_success", DAY)).toEqual({ rate: 2 / 3, succeeded: 2, requests: 3 });
    expect(valuesAt(d, "duplicates", DAY)).toEqual({ absorbed: 2, posts: 6, share: 2 / 6 });
    expect(valuesAt(d, "rate_limited", DAY)).toEqual({ limited: 1, requests: 9, share: 1 / 9 });
    expect(valuesAt(d, "auth_failures", DAY)).toEqual({ signIns: 2, api401: 1 });
    expect(kpiOf(d, "auth_failures").summary.value).toBe(3);
    // by partner: P2 sent one hold request, answered 201
    const byP2 = await daily(ops.actor, { partner: p2.code });
    expect(valuesAt(byP2, "booking_success", DAY)).toEqual({ rate: 1, succeeded: 1, requests: 1 });
    expect(kpiOf(byP2, "auth_failures").available).toBe(false);
  });

  it("hold-to-confirm conversion and holds expired (hourly, daily, per facility and partner)", async () => {
    const h = await hourly();
    // 10:00 — confirmed h1, expired h2, released h3; 11:00 — confirmed h4
    expect(valuesAt(h, "hold_conversion", `${DAY}T10:00Z`)).toEqual({ conversion: 1 / 3, confirmed: 1, expired: 1, released: 1 });
    expect(valuesAt(h, "hold_conversion", `${DAY}T11:00Z`)).toEqual({ conversion: 1, confirmed: 1, expired: 0, released: 0 });
    expect(valuesAt(h, "holds_expired", `${DAY}T10:00Z`)).toEqual({ expired: 1, held: 3 });
    expect(valuesAt(h, "holds_expired", `${DAY}T12:00Z`)).toEqual({ expired: 0, held: 1 });

    const d = await daily();
    expect(valuesAt(d, "hold_conversion", DAY)).toEqual({ conversion: 3 / 5, confirmed: 3, expired: 1, released: 1 });
    expect(valuesAt(d, "holds_expired", DAY)).toEqual({ expired: 1, held: 5 });
    const atA = await daily(ops.actor, { facility: a.facilityCode });
    expect(valuesAt(atA, "hold_conversion", DAY)).toEqual({ conversion: 2 / 4, confirmed: 2, expired: 1, released: 1 });
    expect(atA.timezone).toBe("Europe/London");
    const byP1 = await daily(ops.actor, { partner: p1.code });
    expect(valuesAt(byP1, "hold_conversion", DAY)).toEqual({ conversion: 2 / 3, confirmed: 2, expired: 1, released: 0 });
  });

  it("webhook success rate, latency p50/p95 from bins, dead letters, sync lag p50/p95", async () => {
    const h = await hourly();
    // attempts at 10:00: 200 ms 200, 100 ms 500, 400 ms 200, 15 s timeout, 800 ms 204 (the test ping left out)
    expect(valuesAt(h, "webhook_success", `${DAY}T10:00Z`)).toEqual({ rate: 3 / 5, succeeded: 3, attempts: 5 });
    // sorted 100, 200, 400, 800, 15000: p50 is the 3rd (400 ms), p95 the 5th (15 s), each reported as its bin's middle
    expect(valuesAt(h, "webhook_latency", `${DAY}T10:00Z`)).toEqual({ p50: binValue(binOf(400)), p95: binValue(binOf(15_000)), attempts: 5 });
    expect(binValue(binOf(400))).toBeGreaterThan(400 / 1.13);
    expect(binValue(binOf(400))).toBeLessThan(400 * 1.13);
    expect(valuesAt(h, "dead_letters", `${DAY}T11:00Z`)).toEqual({ dead: 1 });
    expect(valuesAt(h, "dead_letters", `${DAY}T10:00Z`)).toEqual({ dead: 0 });
    // lags 500 ms, 6.4 s, 1.8 s, all acknowledged in the 10:00 bucket: p50 the 2nd (1.8 s), p95 the 3rd (6.4 s)
    expect(valuesAt(h, "sync_lag", `${DAY}T10:00Z`)).toEqual({ p50: binValue(binOf(1_800)), p95: binValue(binOf(6_400)), acks: 3 });

    // the bins the roll-up wrote are exactly TypeScript's binOf of each duration (SQL width_bucket and binOf agree)
    const bins = await getDb().kpiBucketBin.findMany({
      where: { metric: METRIC.webhookAttempts, bucketSize: "HOUR" },
      orderBy: { bin: "asc" },
    });
    expect(bins.map((row) => [row.bin, Number(row.count)])).toEqual([100, 200, 400, 800, 15_000].map((ms) => [binOf(ms), 1]));

    const d = await daily();
    expect(valuesAt(d, "webhook_success", DAY)).toEqual({ rate: 3 / 5, succeeded: 3, attempts: 5 });
    expect(valuesAt(d, "webhook_latency", DAY)).toEqual({ p50: binValue(binOf(400)), p95: binValue(binOf(15_000)), attempts: 5 });
    expect(valuesAt(d, "dead_letters", DAY)).toEqual({ dead: 1 });
    expect(valuesAt(d, "sync_lag", DAY)).toEqual({ p50: binValue(binOf(1_800)), p95: binValue(binOf(6_400)), acks: 3 });
    // B had no webhooks; P2 no endpoint
    expect(kpiOf(await daily(ops.actor, { facility: b.facilityCode }), "webhook_success").empty).toBe(true);
    expect(kpiOf(await daily(ops.actor, { partner: p2.code }), "sync_lag").empty).toBe(true);
  });

  it("manual reconciliation volume", async () => {
    const h = await hourly();
    expect(valuesAt(h, "manual_reconciliation", `${DAY}T09:00Z`)).toEqual({ manual: 1, runs: 2 });
    expect(valuesAt(h, "manual_reconciliation", `${DAY}T15:00Z`)).toEqual({ manual: 1, runs: 1 });
    expect(valuesAt(await daily(), "manual_reconciliation", DAY)).toEqual({ manual: 2, runs: 3 });
  });

  it("occupancy by units, area and rent: snapshots at each bucket's end", async () => {
    const atA = await hourly(ops.actor, { facility: a.facilityCode });
    // 10:00 ends with h1 confirmed (booked), nobody in
    expect(valuesAt(atA, "occupancy", `${DAY}T10:00Z`)).toEqual({ occupied: 0, booked: 1 / 6, occupiedUnits: 0, bookedUnits: 1, units: 6 });
    // 11:00 ends with h1 moved in (10X10: 100 sq ft, 129.00) and h4 booked
    expect(valuesAt(atA, "occupancy", `${DAY}T11:00Z`)).toEqual({ occupied: 1 / 6, booked: 1 / 6, occupiedUnits: 1, bookedUnits: 1, units: 6 });
    expect(valuesAt(atA, "occupancy_measures", `${DAY}T11:00Z`)).toEqual({
      units: 1 / 6,
      area: 100 / 450,
      economic: 12_900 / (4 * 12_900 + 2 * 4_900),
    });

    // daily: the day's last hour — A has h1 in and h4 booked, B has h5 in (one of 3)
    const d = await daily();
    expect(valuesAt(d, "occupancy", DAY)).toEqual({ occupied: 2 / 9, booked: 1 / 9, occupiedUnits: 2, bookedUnits: 1, units: 9 });
    const economicA = 12_900 / (4 * 12_900 + 2 * 4_900);
    expect(valuesAt(d, "occupancy_measures", DAY)).toEqual({
      units: 2 / 9,
      area: 200 / 750,
      economic: (6 * economicA + 3 * (1 / 3)) / 9,
    });
    // the next day h1 has moved out (09:00): A is empty by the day's end so far
    expect(valuesAt(await daily(ops.actor, { facility: a.facilityCode }), "occupancy", NEXT_DAY)).toMatchObject({ occupiedUnits: 0, bookedUnits: 1 });
    // a partner's share: P1's bookings over every unit
    expect(valuesAt(await daily(ops.actor, { partner: p1.code }), "occupancy", DAY)).toMatchObject({ occupied: 2 / 9, booked: 0, units: 9 });
    expect(kpiOf(d, "occupancy").summary.value).toBe(1 / 9); // 12:00 on the 10th: only h5
  });
});

describe("KPI roll-up: idempotent and incremental", () => {
  const snapshot = async () => {
    const db = getDb();
    const rows = await db.kpiBucket.findMany({ orderBy: [{ metric: "asc" }, { bucketSize: "asc" }, { bucketStart: "asc" }, { facilityId: "asc" }, { partnerId: "asc" }] });
    const bins = await db.kpiBucketBin.findMany({ orderBy: [{ metric: "asc" }, { bucketSize: "asc" }, { bucketStart: "asc" }, { facilityId: "asc" }, { partnerId: "asc" }, { bin: "asc" }] });
    return {
      rows: rows.map(({ computedAt: _computedAt, ...row }) => ({ ...row, count: Number(row.count), total: Number(row.total) })),
      bins: bins.map((row) => ({ ...row, count: Number(row.count) })),
    };
  };

  it("a second run — and two at once — change nothing", async () => {
    const before = await snapshot();
    expect(before.rows.length).toBeGreaterThan(50);
    const again = await rollupKpis({ now: NOW });
    expect(again.full).toBe(false);
    expect(await snapshot()).toEqual(before);
    await Promise.all([rollupKpis({ now: NOW }), rollupKpis({ now: NOW })]);
    expect(await snapshot()).toEqual(before);
    // a full recompute agrees with the incremental state
    await rollupKpis({ now: NOW, full: true });
    expect(await snapshot()).toEqual(before);
  });

  it("recomputes only from watermark − margin; late data lands in its own bucket", async () => {
    const db = getDb();
    const window = await rollupKpis({ now: NOW });
    expect(window.from.toISOString()).toBe(`${NEXT_DAY}T09:00:00.000Z`); // 12:00 − 3 h

    const untouched = await db.kpiBucket.findFirstOrThrow({
      where: { metric: METRIC.holdsCreated, bucketSize: "HOUR", bucketStart: at("10:00:00"), facilityId: a.facilityId, partnerId: p1.id },
    });

    // A request answered at 11:30 but logged only after the 12:00 run (within the margin).
    await db.apiRequestLog.create({
      data: { partnerId: p2.id, method: "POST", route: "/api/v1/bookings", status: 201, durationMs: 9, correlationId: "cor_test_late", createdAt: at("11:30:00", NEXT_DAY) },
    });
    const later = new Date(NOW.getTime() + 5 * 60_000);
    const run = await rollupKpis({ now: later });
    expect(run.from.toISOString()).toBe(`${NEXT_DAY}T09:00:00.000Z`);
    const h = await getKpiDashboard(ops.actor, { range: "custom", from: NEXT_DAY, to: NEXT_DAY }, later);
    expect(valuesAt(h, "booking_success", `${NEXT_DAY}T11:00Z`)).toEqual({ rate: 1, succeeded: 1, requests: 1 });
    const d = await getKpiDashboard(ops.actor, { range: "custom", from: "2026-03-05", to: "2026-03-14" }, later);
    expect(valuesAt(d, "booking_success", NEXT_DAY)).toEqual({ rate: 1, succeeded: 1, requests: 1 });
    expect(valuesAt(d, "booking_success", DAY)).toEqual({ rate: 2 / 3, succeeded: 2, requests: 3 });

    // buckets before the window were left as they were (not rewritten)
    const still = await db.kpiBucket.findFirstOrThrow({
      where: { metric: METRIC.holdsCreated, bucketSize: "HOUR", bucketStart: at("10:00:00"), facilityId: a.facilityId, partnerId: p1.id },
    });
    expect(still.computedAt).toEqual(untouched.computedAt);
    expect(Number(still.count)).toBe(2);

    // a fact older than the margin needs a full recompute, which puts it in its own bucket
    await db.apiRequestLog.create({
      data: { partnerId: p2.id, method: "POST", route: "/api/v1/bookings", status: 409, code: "INVENTORY_UNAVAILABLE", durationMs: 9, correlationId: "cor_test_old", createdAt: at("11:45:00") },
    });
    await rollupKpis({ now: later });
    expect(valuesAt(await hourly(), "booking_success", `${DAY}T11:00Z`)).toEqual({ rate: 1, succeeded: 1, requests: 1 });
    await rollupKpis({ now: later, full: true });
    const full = await getKpiDashboard(ops.actor, { range: "custom", from: DAY, to: DAY }, later);
    expect(valuesAt(full, "booking_success", `${DAY}T11:00Z`)).toEqual({ rate: 0.5, succeeded: 1, requests: 2 });
  });
});

describe("KPI scope", () => {
  it("a site manager sees only their facilities, never the rows that cover all of them", async () => {
    const d = await daily(manager.actor);
    expect(d.scoped).toBe(true);
    // only A's holds: h1, h4 confirmed, h2 expired, h3 released (not B's h5)
    expect(valuesAt(d, "hold_conversion", DAY)).toEqual({ conversion: 2 / 4, confirmed: 2, expired: 1, released: 1 });
    expect(valuesAt(d, "occupancy", DAY)).toMatchObject({ occupiedUnits: 1, units: 6 });
    for (const key of ["booking_success", "duplicates", "auth_failures", "rate_limited", "manual_reconciliation"]) {
      const kpi = kpiOf(d, key);
      expect(kpi.available, key).toBe(false);
      expect(kpi.points, key).toEqual([]);
      expect(kpi.summary.value, key).toBeNull();
    }
  });

  it("another facility is not found for a site manager", async () => {
    const error = await daily(manager.actor, { facility: b.facilityCode }).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe("NOT_FOUND");
    const own = await daily(manager.actor, { facility: a.facilityCode });
    expect(own.facility?.code).toBe(a.facilityCode);
  });

  it("facility-less KPIs say why they are missing when a facility is chosen", async () => {
    const d = await daily(ops.actor, { facility: a.facilityCode });
    expect(kpiOf(d, "booking_success").unavailableReason).toMatch(/not recorded per facility/i);
    expect(kpiOf(d, "hold_conversion").available).toBe(true);
  });
});
