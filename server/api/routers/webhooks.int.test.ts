import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDelivery, createTestEndpoint, type TestDelivery } from "../../../test/delivery-factory";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../../../test/factories";
import { disconnectDb } from "../../db";
import { createHold } from "../../domain/bookings/create-hold";
import { type SessionUser } from "../../domain/users/load-session-user";
import { callerFor, codeOf, sessionUser } from "../../../test/trpc-caller";

afterAll(disconnectDb);

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

let london: TestPool;
let newYork: TestPool;
let partner: TestPartner;
let otherPartner: TestPartner;
let endpointId: string;
let otherEndpointId: string;
let support: SessionUser;
let manager: SessionUser;
let bookingReference: string;
/** on `endpointId`, newest first: the fixture the filters are checked against */
let d: Record<"ok" | "dead5xx" | "retrying4xx" | "timeout" | "nyc" | "booking" | "pending", TestDelivery>;
let onOther: TestDelivery;

beforeAll(async () => {
  [london, newYork] = await Promise.all([createFacilityWithPool({ units: 3 }), createFacilityWithPool({ units: 3, timezone: "America/New_York" })]);
  [partner, otherPartner] = await Promise.all([createPartner(), createPartner()]);
  [endpointId, otherEndpointId] = await Promise.all([createTestEndpoint(partner.id), createTestEndpoint(otherPartner.id)]);
  [support, manager] = await Promise.all([
    sessionUser({ role: "SUPPORT" }),
    sessionUser({ role: "SITE_MANAGER", facilityIds: [london.facilityId] }),
  ]);
  const hold = await createHold(holdInput(london), partner.actor);
  bookingReference = hold.reference;
  const base = { endpointId, partnerId: partner.id, facilityId: london.facilityId };
  d = {
    pending: await createTestDelivery({ ...base, status: "PENDING", createdAt: minutesAgo(1) }),
    booking: await createTestDelivery({
      ...base,
      type: "booking.held",
      bookingId: hold.id,
      status: "SUCCEEDED",
      createdAt: minutesAgo(2),
      attempts: [{ status: 200 }],
    }),
    nyc: await createTestDelivery({ ...base, facilityId: newYork.facilityId, status: "SUCCEEDED", createdAt: minutesAgo(3), attempts: [{ status: 204 }] }),
    timeout: await createTestDelivery({ ...base, status: "RETRYING", createdAt: minutesAgo(4), attempts: [{ status: null }] }),
    retrying4xx: await createTestDelivery({ ...base, status: "RETRYING", createdAt: minutesAgo(5), attempts: [{ status: 404 }] }),
    dead5xx: await createTestDelivery({
      ...base,
      type: "inventory.updated",
      status: "DEAD",
      createdAt: minutesAgo(6),
      attempts: [{ status: 500 }, { status: 503 }, { status: 502 }],
    }),
    ok: await createTestDelivery({ ...base, status: "SUCCEEDED", createdAt: minutesAgo(7), attempts: [{ status: 200 }] }),
  };
  onOther = await createTestDelivery({ endpointId: otherEndpointId, partnerId: otherPartner.id, facilityId: london.facilityId, status: "DEAD", createdAt: minutesAgo(3), attempts: [{ status: 500 }] });
});

const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe("webhooks router: who may read", () => {
  it("refuses a caller with no session: UNAUTHORIZED", async () => {
    const anonymous = callerFor(null);
    expect(await codeOf(anonymous.webhooks.endpoints())).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.webhooks.deliveries({ filter: { endpointId } }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.webhooks.delivery({ deliveryId: d.ok.deliveryId }))).toBe("UNAUTHORIZED");
  });

  it("shows a site manager only deliveries of their facilities' events; another facility's is NOT_FOUND", async () => {
    const caller = callerFor(manager);
    const page = await caller.webhooks.deliveries({ filter: { endpointId } });
    expect(ids(page.rows)).toEqual([d.pending, d.booking, d.timeout, d.retrying4xx, d.dead5xx, d.ok].map((x) => x.deliveryId));
    expect(await caller.webhooks.deliveryCount({ filter: { endpointId } })).toEqual({ count: 6, capped: false });
    expect(ids((await caller.webhooks.exportDeliveries({ filter: { endpointId } })).rows)).not.toContain(d.nyc.deliveryId);

    expect(await codeOf(caller.webhooks.delivery({ deliveryId: d.nyc.deliveryId }))).toBe("NOT_FOUND");
    await expect(caller.webhooks.delivery({ deliveryId: d.ok.deliveryId })).resolves.toMatchObject({ id: d.ok.deliveryId });
    // not even by searching for it
    expect((await caller.webhooks.deliveries({ filter: { eventId: d.nyc.eventId } })).rows).toEqual([]);

    // support sees every facility
    expect(ids((await callerFor(support).webhooks.deliveries({ filter: { endpointId } })).rows)).toContain(d.nyc.deliveryId);
  });

  it("limits what an endpoint's health names to a site manager's facilities", async () => {
    const endpoint = await createTestEndpoint(partner.id);
    const base = { endpointId: endpoint, partnerId: partner.id };
    const nycPending = await createTestDelivery({ ...base, facilityId: newYork.facilityId, status: "PENDING", createdAt: minutesAgo(60) });
    const londonRetrying = await createTestDelivery({ ...base, facilityId: london.facilityId, status: "RETRYING", createdAt: minutesAgo(30), attempts: [{ status: 500 }] });
    await createTestDelivery({ ...base, facilityId: newYork.facilityId, status: "DEAD", createdAt: minutesAgo(20), attempts: [{ status: 500 }] });
    await createTestDelivery({ ...base, facilityId: london.facilityId, status: "DEAD", createdAt: minutesAgo(15), attempts: [{ status: 500 }] });
    await createTestDelivery({ ...base, facilityId: london.facilityId, status: "SUCCEEDED", createdAt: minutesAgo(10), attempts: [{ status: 200 }] });

    const [asManager, asSupport] = await Promise.all([
      callerFor(manager).webhooks.endpoint({ endpointId: endpoint }),
      callerFor(support).webhooks.endpoint({ endpointId: endpoint }),
    ]);
    expect(asSupport.health).toMatchObject({ pendingDeliveries: 2, deadDeliveries: 2, oldestUndelivered: { eventId: nycPending.eventId } });
    expect(asManager.health).toMatchObject({ pendingDeliveries: 1, deadDeliveries: 1, oldestUndelivered: { eventId: londonRetrying.eventId } });
    // the endpoint-wide measurements are the same for both
    expect(asManager.health.attempts).toBe(asSupport.health.attempts);
    expect((await callerFor(manager).webhooks.endpoints()).find((e) => e.id === endpoint)?.health.deadDeliveries).toBe(1);
  });

  it("lists endpoints with their health, and an unknown endpoint is NOT_FOUND", async () => {
    const endpoints = await callerFor(support).webhooks.endpoints();
    const mine = endpoints.find((e) => e.id === endpointId);
    expect(mine).toMatchObject({ partnerCode: partner.code, status: "ACTIVE", health: expect.objectContaining({ windowHours: 24 }) });
    expect(JSON.stringify(endpoints)).not.toMatch(/secret_ciphertext|whsec_/);
    expect(await codeOf(callerFor(support).webhooks.endpoint({ endpointId: "ep_00000000000000000000000000" }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(support).webhooks.endpoint({ endpointId: "nope" }))).toBe("BAD_REQUEST");
  });
});

describe("webhooks router: the delivery log's filters", () => {
  const list = (filter: Record<string, unknown>) => callerFor(support).webhooks.deliveries({ filter: { endpointId, ...filter } });

  it("filters by status, HTTP code class and event type", async () => {
    expect(ids((await list({ status: ["DEAD"] })).rows)).toEqual([d.dead5xx.deliveryId]);
    expect(ids((await list({ status: ["RETRYING", "PENDING"] })).rows)).toEqual([d.pending, d.timeout, d.retrying4xx].map((x) => x.deliveryId));
    expect(ids((await list({ statusClass: "5xx" })).rows)).toEqual([d.dead5xx.deliveryId]);
    expect(ids((await list({ statusClass: "4xx" })).rows)).toEqual([d.retrying4xx.deliveryId]);
    // no HTTP answer: the timeout, and the delivery not attempted yet
    expect(ids((await list({ statusClass: "none" })).rows)).toEqual([d.pending, d.timeout].map((x) => x.deliveryId));
    expect(ids((await list({ statusClass: "2xx" })).rows)).toEqual([d.booking, d.nyc, d.ok].map((x) => x.deliveryId));
    expect(ids((await list({ eventType: "inventory.updated" })).rows)).toEqual([d.dead5xx.deliveryId]);
  });

  it("filters by endpoint, partner, time range, booking reference, correlation id and event id", async () => {
    const all = callerFor(support).webhooks.deliveries;
    expect(ids((await all({ filter: { endpointId: otherEndpointId } })).rows)).toEqual([onOther.deliveryId]);
    expect(ids((await all({ filter: { partnerId: otherPartner.id } })).rows)).toEqual([onOther.deliveryId]);
    expect(ids((await list({ from: minutesAgo(5.5), to: minutesAgo(3.5) })).rows)).toEqual([d.timeout, d.retrying4xx].map((x) => x.deliveryId));
    expect(ids((await all({ filter: { bookingReference: bookingReference.toLowerCase() } })).rows)).toEqual([d.booking.deliveryId]);
    expect(ids((await all({ filter: { correlationId: d.ok.correlationId } })).rows)).toEqual([d.ok.deliveryId]);
    expect(ids((await all({ filter: { eventId: d.dead5xx.eventId } })).rows)).toEqual([d.dead5xx.deliveryId]);
  });

  it("returns each row with what the log shows: event, endpoint, partner, facility, booking, last attempt", async () => {
    const row = (await list({ bookingReference })).rows[0]!;
    expect(row).toMatchObject({
      id: d.booking.deliveryId,
      status: "SUCCEEDED",
      attemptCount: 1,
      lastStatus: 200,
      lastFailureClass: null,
      eventType: "booking.held",
      eventId: d.booking.eventId,
      endpointId,
      partnerCode: partner.code,
      facilityCode: london.facilityCode,
      facilityTimezone: "Europe/London",
      bookingReference,
    });
    expect((await list({ status: ["DEAD"] })).rows[0]).toMatchObject({ attemptCount: 3, lastStatus: 502, lastFailureClass: "HTTP_5XX" });
  });

  it("refuses a malformed filter or cursor with BAD_REQUEST and field errors", async () => {
    const caller = callerFor(support);
    expect(await codeOf(caller.webhooks.deliveries({ filter: { status: ["LOST" as never] } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.webhooks.deliveries({ filter: { from: minutesAgo(1), to: minutesAgo(2) } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.webhooks.deliveries({ filter: { endpointId: "ep_' OR 1=1 --" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.webhooks.deliveries({ filter: {}, cursor: "not-a-cursor" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.webhooks.deliveries({ filter: {}, limit: 10_000 }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.webhooks.deliveries({ filter: { unknown: 1 } as never }))).toBe("BAD_REQUEST");
  });
});

describe("webhooks router: keyset pagination", () => {
  it("pages newest first without gaps or repeats, and rows added meanwhile do not shift later pages", async () => {
    const caller = callerFor(support);
    const pages: string[][] = [];
    let cursor: string | null = null;
    let first = true;
    do {
      // as the console's infinite query asks for it
      const page: { rows: { id: string }[]; nextCursor: string | null } = await caller.webhooks.deliveries({ filter: { endpointId }, limit: 3, cursor, direction: "forward" });
      pages.push(ids(page.rows));
      cursor = page.nextCursor;
      if (first) {
        // a new delivery arrives after page 1 was read: it belongs on top, not on page 2
        await createTestDelivery({ endpointId, partnerId: partner.id, facilityId: london.facilityId, status: "PENDING" });
        first = false;
      }
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([d.pending, d.booking, d.nyc, d.timeout, d.retrying4xx, d.dead5xx, d.ok].map((x) => x.deliveryId));
  });

  it("orders deliveries created in the same millisecond by id, and pages through them", async () => {
    const endpoint = await createTestEndpoint(partner.id);
    const at = minutesAgo(30);
    const same = await Promise.all(
      Array.from({ length: 5 }, () => createTestDelivery({ endpointId: endpoint, facilityId: london.facilityId, status: "SUCCEEDED", createdAt: at })),
    );
    const expected = same.map((x) => x.deliveryId).sort().reverse();
    const caller = callerFor(support);
    const p1 = await caller.webhooks.deliveries({ filter: { endpointId: endpoint }, limit: 2 });
    const p2 = await caller.webhooks.deliveries({ filter: { endpointId: endpoint }, limit: 2, cursor: p1.nextCursor });
    const p3 = await caller.webhooks.deliveries({ filter: { endpointId: endpoint }, limit: 2, cursor: p2.nextCursor });
    expect([...ids(p1.rows), ...ids(p2.rows), ...ids(p3.rows)]).toEqual(expected);
    expect(p3.nextCursor).toBeNull();
  });

  it("exports what the log lists, with the cap it applies", async () => {
    const caller = callerFor(support);
    const exported = await caller.webhooks.exportDeliveries({ filter: { endpointId, status: ["RETRYING", "DEAD"] } });
    const listed = await caller.webhooks.deliveries({ filter: { endpointId, status: ["RETRYING", "DEAD"] } });
    expect(exported).toMatchObject({ truncated: false, cap: 10_000 });
    expect(exported.rows).toEqual(listed.rows);
  });
});

describe("webhooks router: one delivery", () => {
  it("returns the event payload and every attempt, with who triggered it, the answer's first 2 KB, and no secret headers", async () => {
    const ops = await sessionUser({ role: "OPS_LEAD", name: "Olive Ops" });
    const longBody = "é".repeat(3000);
    const x = await createTestDelivery({
      endpointId,
      partnerId: partner.id,
      facilityId: london.facilityId,
      status: "SUCCEEDED",
      data: { reference: "BK-TEST" },
      attempts: [
        { status: 500, responseBody: longBody },
        {
          status: 200,
          trigger: "MANUAL_REPLAY",
          triggeredById: ops.id,
          requestHeaders: { "webhook-id": "evt_x", "webhook-signature": "v1,abc123…", authorization: "Bearer leaked", "content-type": "application/json" },
        },
      ],
    });
    const detail = await callerFor(support).webhooks.delivery({ deliveryId: x.deliveryId });
    expect(detail).toMatchObject({
      id: x.deliveryId,
      status: "SUCCEEDED",
      event: { id: x.eventId, type: "booking.confirmed", data: { reference: "BK-TEST" }, correlationId: x.correlationId },
      endpoint: { id: endpointId, partnerCode: partner.code, status: "ACTIVE" },
      facility: { code: london.facilityCode, timezone: "Europe/London" },
    });
    expect(detail.attempts.map((a) => [a.attemptNumber, a.trigger, a.responseStatus])).toEqual([
      [1, "SCHEDULED", 500],
      [2, "MANUAL_REPLAY", 200],
    ]);
    const [first, second] = detail.attempts;
    expect(first!.responseBodyTruncated).toBe(true);
    expect(Buffer.byteLength(first!.responseBody!, "utf8")).toBeLessThanOrEqual(2048);
    expect(first!.responseBody!.startsWith("éé")).toBe(true);
    expect(first!.failureClass).toBe("HTTP_5XX");
    expect(second!.triggeredBy).toEqual({ id: ops.id, email: ops.email, name: "Olive Ops" });
    expect(second!.requestHeaders).toEqual({ "webhook-id": "evt_x", "webhook-signature": "v1,abc123…", "content-type": "application/json" });
    expect(second!.signedWith).toEqual(["secret_v1"]);
    expect(JSON.stringify(detail)).not.toContain("leaked");
  });

  it("an unknown or malformed delivery id is NOT_FOUND or BAD_REQUEST, never a 500", async () => {
    const caller = callerFor(support);
    expect(await codeOf(caller.webhooks.delivery({ deliveryId: "msg_00000000000000000000000000" }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.webhooks.delivery({ deliveryId: "msg_'; drop table events; --" }))).toBe("BAD_REQUEST");
  });
});
