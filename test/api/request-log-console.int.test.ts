import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { getBookingTimeline } from "../../server/domain/bookings/booking-timeline";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { countApiRefusals } from "../../server/domain/request-log/count-api-refusals";
import { getApiRequest } from "../../server/domain/request-log/get-api-request";
import { inspectIdempotencyKey } from "../../server/domain/request-log/inspect-idempotency-key";
import { listApiRequests } from "../../server/domain/request-log/list-api-requests";
import { actorForUser, type Actor } from "../../server/domain/shared/actor";
import { DomainError } from "../../server/domain/shared/errors";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { callerFor, codeOf, sessionUser } from "../trpc-caller";
import { client } from "./helpers";

/**
 * The request log's console reads (docs/request-log.md#in-the-console): one call's detail,
 * the idempotency inspector and the refusal counts behind the KPI drill-down — each in the
 * reader's facility scope, with filters and keyset pages that agree with the list.
 */

let server: RouteServer;
let pool: TestPool;
let otherPool: TestPool;
let partner: TestPartner;
let otherPartner: TestPartner;
let api: ReturnType<typeof client>;
let support: Actor;
let manager: Actor;
let otherManager: Actor;

beforeAll(async () => {
  server = await startRouteServer();
  [pool, otherPool, partner, otherPartner] = await Promise.all([
    createFacilityWithPool({ units: 6 }),
    createFacilityWithPool({ units: 2 }),
    createPartner(),
    createPartner(),
  ]);
  api = client(server.url, partner.apiKey);
  const tag = crypto.randomUUID();
  support = actorForUser(await sessionUser({ role: "SUPPORT" }), { correlationId: `s-${tag}` });
  manager = actorForUser(await sessionUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] }), { correlationId: `m-${tag}` });
  otherManager = actorForUser(await sessionUser({ role: "SITE_MANAGER", facilityIds: [otherPool.facilityId] }), { correlationId: `o-${tag}` });
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "OK";
}

const rowId = async (correlationId: string) =>
  String((await getDb().apiRequestLog.findFirstOrThrow({ where: { correlationId }, select: { id: true } })).id);

describe("one call, its key's other calls, and the inspector", () => {
  it("a hold, its replay and a reuse with a changed field: the detail lists the others, the inspector shows the record, the replay and the field", async () => {
    const tag = crypto.randomUUID();
    const key = `key-${tag}`;
    const body = holdInput(pool);
    const first = await api("POST", "/api/v1/bookings", { body, idempotencyKey: key, headers: { "x-correlation-id": `first-${tag}` } });
    const replay = await api("POST", "/api/v1/bookings", { body, idempotencyKey: key, headers: { "x-correlation-id": `replay-${tag}` } });
    const changed = { ...body, customer: { ...body.customer, email: "grace@example.com" } };
    const reused = await api("POST", "/api/v1/bookings", { body: changed, idempotencyKey: key, headers: { "x-correlation-id": `reuse-${tag}` } });
    expect([first.status, replay.status, reused.status]).toEqual([201, 201, 422]);
    expect(reused.json.code).toBe("IDEMPOTENCY_KEY_REUSED");

    const detail = await getApiRequest({ id: await rowId(`first-${tag}`) }, support);
    expect(detail.request).toMatchObject({ status: 201, idempotencyKey: key, partnerCode: partner.code, bookingReferences: [first.json.reference] });
    expect(detail.sameKey.map((r) => [r.correlationId, r.status, r.replayed, r.code])).toEqual([
      [`replay-${tag}`, 201, true, null],
      [`reuse-${tag}`, 422, false, "IDEMPOTENCY_KEY_REUSED"],
    ]);

    const inspection = await inspectIdempotencyKey({ partner: partner.code.toLowerCase(), key }, support);
    expect(inspection.record).toMatchObject({
      state: "COMPLETED",
      method: "POST",
      path: "/api/v1/bookings",
      responseStatus: 201,
      bookingReference: first.json.reference,
      correlationId: `first-${tag}`,
      replayCount: 1,
      expired: false,
    });
    expect(inspection.record!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(inspection.record!.expiresAt.getTime()).toBeGreaterThan(inspection.record!.createdAt.getTime());
    expect(JSON.parse(inspection.record!.responseBody!)).toMatchObject({ reference: first.json.reference });
    expect(inspection.requests.map((r) => [r.correlationId, r.replayed])).toEqual([
      [`first-${tag}`, false],
      [`replay-${tag}`, true],
      [`reuse-${tag}`, false],
    ]);
    expect(inspection.reuses).toHaveLength(1);
    expect(inspection.reuses[0]!.firstRequestId).toBe(await rowId(`first-${tag}`));
    expect(inspection.reuses[0]!.differences).toEqual([{ field: "customer.email", first: '"ada@example.com"', refused: '"grace@example.com"' }]);

    // the console's procedures read through the same services
    const supportUser = await sessionUser({ role: "SUPPORT" });
    expect((await callerFor(supportUser).apiLogs.idempotency({ partner: partner.code, key })).reuses[0]!.differences[0]!.field).toBe("customer.email");
  });

  it("scope: another facility's manager, another partner and a made-up key get NOT_FOUND; a malformed id is refused with field errors", async () => {
    const tag = crypto.randomUUID();
    const key = `scope-${tag}`;
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: key, headers: { "x-correlation-id": `scope-${tag}` } });
    expect(held.status).toBe(201);
    const id = await rowId(`scope-${tag}`);

    expect((await getApiRequest({ id }, manager)).request.correlationId).toBe(`scope-${tag}`);
    expect(await refusal(getApiRequest({ id }, otherManager))).toBe("NOT_FOUND");
    expect(await refusal(getApiRequest({ id: "12x" }, support))).toBe("VALIDATION_FAILED");
    expect(await codeOf(callerFor(await sessionUser({ role: "SITE_MANAGER", facilityIds: [otherPool.facilityId] })).apiLogs.get({ id }))).toBe("NOT_FOUND");

    expect((await inspectIdempotencyKey({ partner: partner.code, key }, manager)).requests).toHaveLength(1);
    expect(await refusal(inspectIdempotencyKey({ partner: partner.code, key }, otherManager))).toBe("NOT_FOUND");
    expect(await refusal(inspectIdempotencyKey({ partner: partner.code, key }, otherPartner.actor))).toBe("NOT_FOUND");
    expect(await refusal(inspectIdempotencyKey({ partner: otherPartner.code, key }, support))).toBe("NOT_FOUND");
    expect(await refusal(inspectIdempotencyKey({ partner: partner.code, key: `never-${tag}` }, support))).toBe("NOT_FOUND");
  });
});

describe("filters and keyset pages", () => {
  it("pages through a facility's calls newest first without gaps or repeats; the facility filter is a staff filter the scope still bounds", async () => {
    const tag = crypto.randomUUID();
    const db = getDb();
    for (let i = 0; i < 5; i++) {
      await db.apiRequestLog.create({
        data: { method: "GET", route: "/api/v1/facilities", status: 200, durationMs: i, correlationId: `page-${tag}`, partnerId: partner.id, facilityId: pool.facilityId },
      });
    }
    await db.apiRequestLog.create({
      data: { method: "GET", route: "/api/v1/facilities", status: 200, durationMs: 9, correlationId: `page-${tag}`, partnerId: partner.id, facilityId: otherPool.facilityId },
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: Awaited<ReturnType<typeof listApiRequests>> = await listApiRequests(
        { filter: { correlationId: `page-${tag}`, facility: pool.facilityCode.toLowerCase() }, cursor, limit: 2 },
        support,
      );
      seen.push(...result.requests.map((r) => r.id));
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(5);
    // the console's infinite query sends TanStack's direction along, and the procedure takes it
    const supportUser = await sessionUser({ role: "SUPPORT" });
    const viaConsole = await callerFor(supportUser).apiLogs.list({ filter: { correlationId: `page-${tag}`, facility: pool.facilityCode }, limit: 2, direction: "forward" });
    expect(viaConsole.requests.map((r) => r.id)).toEqual(seen.slice(0, 2));
    expect(new Set(seen).size).toBe(5);
    expect([...seen].sort((a, b) => Number(BigInt(b) - BigInt(a)))).toEqual(seen);
    // the manager of the other facility asking for this facility by name gets nothing
    expect((await listApiRequests({ filter: { correlationId: `page-${tag}`, facility: pool.facilityCode } }, otherManager)).requests).toEqual([]);
    expect((await listApiRequests({ filter: { correlationId: `page-${tag}` } }, otherManager)).requests.map((r) => r.facilityCode)).toEqual([otherPool.facilityCode]);
  });
});

describe("refusal counts behind the KPI drill-down", () => {
  it("counts refusals by code × route × partner (401s and 429s by key too), in scope; each bucket's filter lists exactly its calls", async () => {
    const db = getDb();
    const tag = crypto.randomUUID();
    const from = new Date(Date.now() - 60_000);
    // A partner code of its own, so the counts are this test's alone.
    const mine = await createPartner();
    const row = (status: number, code: string | null, route: string, facilityId: string | null, extra: Record<string, unknown> = {}) =>
      db.apiRequestLog.create({
        data: { method: "POST", route, status, code, durationMs: 1, correlationId: `kpi-${tag}-${crypto.randomUUID()}`, partnerId: mine.id, facilityId, ...extra },
      });
    const confirm = "/api/v1/bookings/{reference}/confirm";
    await Promise.all([
      row(409, "INVALID_TRANSITION", confirm, pool.facilityId),
      row(409, "INVALID_TRANSITION", confirm, pool.facilityId),
      row(409, "INVALID_TRANSITION", confirm, otherPool.facilityId),
      row(409, "HOLD_EXPIRED", confirm, pool.facilityId),
      row(429, "RATE_LIMITED", "/api/v1/bookings", pool.facilityId, { keyPrefix: "hf_test_aaaa" }),
      row(429, "RATE_LIMITED", "/api/v1/bookings", pool.facilityId, { keyPrefix: "hf_test_bbbb" }),
      row(201, null, "/api/v1/bookings", pool.facilityId),
    ]);
    const to = new Date(Date.now() + 60_000);

    const all = await countApiRefusals({ from, to, partner: mine.code }, support);
    expect(all.total).toBe(6);
    expect(all.buckets.map((b) => [b.status, b.code, b.route, b.partnerCode, b.keyPrefix, b.count])).toEqual([
      [409, "INVALID_TRANSITION", confirm, mine.code, null, 3],
      [409, "HOLD_EXPIRED", confirm, mine.code, null, 1],
      [429, "RATE_LIMITED", "/api/v1/bookings", mine.code, "hf_test_aaaa", 1],
      [429, "RATE_LIMITED", "/api/v1/bookings", mine.code, "hf_test_bbbb", 1],
    ]);
    // a site manager counts their facility's only
    const theirs = await countApiRefusals({ from, to, partner: mine.code }, manager);
    expect(theirs.buckets.find((b) => b.code === "INVALID_TRANSITION")?.count).toBe(2);
    expect(theirs.total).toBe(5);
    expect((await countApiRefusals({ from, to, partner: mine.code, facility: otherPool.facilityCode }, support)).total).toBe(1);

    // the drill-down: each bucket's filter lists exactly as many calls as it counts
    for (const bucket of all.buckets) {
      const listed = await listApiRequests(
        {
          filter: {
            status: bucket.status,
            code: bucket.code ?? undefined,
            route: bucket.route,
            partner: bucket.partnerCode ?? undefined,
            keyPrefix: bucket.keyPrefix ?? undefined,
            from,
            to,
          },
          limit: 100,
        },
        support,
      );
      expect(listed.requests.length, `${bucket.status} ${bucket.code} ${bucket.keyPrefix}`).toBe(bucket.count);
    }
    expect(await refusal(countApiRefusals({ from: to, to: from }, support))).toBe("VALIDATION_FAILED");
  });
});

describe("the booking timeline", () => {
  it("shows a refused call no audit entry records (422) with its code and answer, and an audited refusal once, as its audit entry", async () => {
    const tag = crypto.randomUUID();
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    const reference = held.json.reference as string;
    const invalid = await api("POST", `/api/v1/bookings/${reference}/cancel`, { body: { surprise: true }, headers: { "x-correlation-id": `bad-${tag}` } });
    expect(invalid.status).toBe(422);
    await api("POST", `/api/v1/bookings/${reference}/cancel`, { body: { reason: "changed plans" } });
    const refused = await api("POST", `/api/v1/bookings/${reference}/confirm`, { headers: { "x-correlation-id": `late-${tag}` } });
    expect(refused.status).toBe(409);

    const timeline = await getBookingTimeline(reference, support);
    const entries = timeline.groups.flatMap((g) => g.entries);
    const requests = entries.filter((e) => e.kind === "refused_request");
    expect(requests.map((e) => e.kind === "refused_request" && [e.correlationId, e.status, e.code, e.detail])).toEqual([
      [`bad-${tag}`, 422, "VALIDATION_FAILED", invalid.json.detail],
    ]);
    // the 409 is on the timeline as its audit entry, not twice
    expect(entries.filter((e) => e.correlationId === `late-${tag}`).map((e) => e.kind)).toEqual(["audit"]);
    expect(timeline.counts.refusedRequests).toBe(2);
  });
});
