import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../../test/api/helpers";
import { addUnitType, createFacilityWithPool, createPartner, holdInput, useOwnDatabase, type TestPartner, type TestPool } from "../../../test/factories";
import { startRouteServer, type RouteServer } from "../../../test/route-server";
import { startReceiver, type Receiver } from "../../../test/webhook-receiver";
import { disconnectDb, getDb } from "../../db";
import { cancelBooking } from "../../domain/bookings/cancel-booking";
import { confirmBooking } from "../../domain/bookings/confirm-booking";
import { createHold } from "../../domain/bookings/create-hold";
import { fulfilBooking } from "../../domain/bookings/fulfil-booking";
import type { TimelineEntry } from "../../domain/bookings/booking-timeline";
import { closeRateLimitPool } from "../../domain/rate-limits/consume";
import { closeDefaultSender } from "../../domain/webhooks/delivery/attempt-delivery";
import { createWebhookEndpoint } from "../../domain/webhooks/endpoints/create-webhook-endpoint";
import { closeAsyncCommitPool } from "../../domain/shared/async-commit-db";
import { dispatchOnce } from "../../domain/webhooks/delivery/dispatcher";
import { type SessionUser } from "../../domain/users/load-session-user";
import { createInnerContext } from "../trpc";
import { callerFor, codeOf, sessionUser, testMeta } from "../../../test/trpc-caller";

/**
 * The bookings router against real PostgreSQL: the one search box (every kind of key,
 * scope, keyset pages, bad input) and the lifecycle timeline (every source merged and
 * grouped by correlation id). Its own database: the timeline test fans out and delivers
 * webhooks, which reads every event in the database.
 */

let dropDatabase: () => Promise<void>;
let server: RouteServer;
let receiver: Receiver;

const meta = testMeta;
let london: TestPool;
let newYork: TestPool;
let partner: TestPartner;
let support: SessionUser;
let manager: SessionUser;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("bookings_router");
  process.env.DATABASE_POOL_MAX = "20";
  server = await startRouteServer();
  receiver = await startReceiver();
  london = await createFacilityWithPool({ units: 8 });
  newYork = await createFacilityWithPool({ units: 4, timezone: "America/New_York" });
  partner = await createPartner();
  support = await sessionUser({ role: "SUPPORT" });
  manager = await sessionUser({ role: "SITE_MANAGER", facilityIds: [london.facilityId] });
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
  await closeRateLimitPool();
  await closeDefaultSender();
  await closeAsyncCommitPool();
  await disconnectDb();
  await dropDatabase?.();
});

const withCorrelation = (actor: TestPartner["actor"], correlationId: string) => ({ ...actor, correlationId });


/** Every page of a search as support, in order: each row's reference and whether it matched exactly. */
async function pageThrough(q: string, facilityCode: string, limit: number) {
  const seen: { reference: string; exact: boolean }[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Awaited<ReturnType<ReturnType<typeof callerFor>["bookings"]["search"]>> = await callerFor(support).bookings.search({
      filter: { q, facilityCode },
      limit,
      cursor,
    });
    seen.push(...page.items.map((i) => ({ reference: i.reference, exact: i.exact })));
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 10);
  return { seen, pages };
}

describe("bookings.search: one box, every key", () => {
  it("finds a booking by reference, partner reference, unit code, name, email, correlation id, event id and idempotency key", async () => {
    const correlationId = `cor_search_${crypto.randomUUID()}`;
    const idempotencyKey = `idem-search-${crypto.randomUUID()}`;
    const email = `${crypto.randomBytes(4).toString("hex")}@search.example`;
    const name = `Grace ${crypto.randomBytes(3).toString("hex")} Hopper`;
    const held = await createHold(holdInput(london, { customer: { name, email } }), withCorrelation(partner.actor, correlationId), {
      idempotencyKey,
    });
    const cancelCorrelation = `cor_cancel_${crypto.randomUUID()}`;
    await cancelBooking(held.reference, { reason: "Customer changed their mind" }, withCorrelation(partner.actor, cancelCorrelation));
    const event = await getDb().event.findFirstOrThrow({ where: { bookingId: held.id, type: "booking.cancelled" } });

    const find = async (q: string) => (await callerFor(support).bookings.search({ filter: { q } })).items;

    const keys: [string, string][] = [
      [held.reference, "reference"],
      [held.reference.toLowerCase(), "reference"],
      [held.partnerBookingReference, "partner_reference"],
      [email, "customer_email"],
      [email.toUpperCase(), "customer_email"],
      [name, "customer_name"],
      [correlationId, "correlation_id"],
      [cancelCorrelation, "correlation_id"],
      [event.id, "event_id"],
      [idempotencyKey, "idempotency_key"],
    ];
    for (const [q, kind] of keys) {
      const items = await find(q);
      expect(items.map((i) => i.reference), q).toEqual([held.reference]);
      expect(items[0]!.matchedBy, q).toContain(kind);
      expect(items[0]!.exact, q).toBe(true);
    }
    // unit codes repeat across facilities and bookings: the booking is among the matches
    const byUnit = await find(held.unitCode);
    expect(byUnit.map((i) => i.reference)).toContain(held.reference);
    expect(byUnit.find((i) => i.reference === held.reference)!.matchedBy).toContain("unit_code");
    // a part of the name matches too, ranked after exact matches
    const partial = await find(name.split(" ")[1]!);
    expect(partial).toEqual([expect.objectContaining({ reference: held.reference, exact: false, matchedBy: ["customer_name"] })]);
    // the row says what it is
    expect(partial[0]).toMatchObject({
      status: "CANCELLED",
      facilityCode: london.facilityCode,
      partnerCode: partner.code,
      customerEmail: email,
      cancelReason: "Customer changed their mind",
    });
    // and a key nobody used finds nothing
    expect(await find(`nothing-${crypto.randomUUID()}`)).toEqual([]);
  });

  it("puts exact matches before partial ones", async () => {
    const word = `Zed${crypto.randomBytes(3).toString("hex")}`;
    const partialOne = await createHold(holdInput(london, { customer: { name: `${word} Partial`, email: "p@example.com" } }), partner.actor);
    const exactOne = await createHold(holdInput(london, { customer: { name: word, email: "e@example.com" } }), partner.actor);
    const partialTwo = await createHold(holdInput(london, { customer: { name: `The ${word}`, email: "q@example.com" } }), partner.actor);

    const { items } = await callerFor(support).bookings.search({ filter: { q: word.toLowerCase() } });

    expect(items.map((i) => i.reference)).toEqual([exactOne.reference, partialTwo.reference, partialOne.reference]);
    expect(items.map((i) => i.exact)).toEqual([true, false, false]);
  });

  it("looks for a fragment only when no key matches exactly (docs/performance.md#booking-search)", async () => {
    const key = `PR${crypto.randomBytes(4).toString("hex")}`;
    const byKey = await createHold(holdInput(london, { partner_booking_reference: key }), partner.actor);
    // another booking whose e-mail contains the key: a fragment match, shown only when nothing is exact
    const byFragment = await createHold(holdInput(london, { customer: { name: "Frag Ment", email: `x${key.toLowerCase()}y@example.com` } }), partner.actor);
    const search = async (q: string) => (await callerFor(support).bookings.search({ filter: { q } })).items;

    const exact = await search(key);
    expect(exact.map((i) => i.reference)).toEqual([byKey.reference]);
    expect(exact[0]).toMatchObject({ exact: true, matchedBy: ["partner_reference"] });

    const fragment = await search(key.slice(1));
    expect(fragment.map((i) => i.reference)).toEqual([byFragment.reference]);
    expect(fragment[0]).toMatchObject({ exact: false, matchedBy: ["customer_email"] });
  });

  it("pages through a unit code's bookings in every facility: newest first, within the filters and scope, each once (docs/performance.md#booking-search)", async () => {
    // the same unit code at two facilities, three bookings on each over time (a hold, then cancelled)
    const typeCode = `U${crypto.randomBytes(3).toString("hex").toUpperCase()}`;
    const atLondon = { ...london, ...(await addUnitType(london.facilityId, typeCode, 1)), unitTypeCode: typeCode };
    const atNewYork = { ...newYork, ...(await addUnitType(newYork.facilityId, typeCode, 1)), unitTypeCode: typeCode };
    const made: { reference: string; facilityCode: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const pool = i % 2 ? atNewYork : atLondon;
      const hold = await createHold(holdInput(pool), partner.actor);
      if (i < 4) await cancelBooking(hold.reference, { reason: "test" }, partner.actor);
      made.push({ reference: hold.reference, facilityCode: pool.facilityCode });
    }
    const unitCode = `${typeCode}-0`;
    // a booking elsewhere whose e-mail holds the code: a fragment, never shown while the code is a key
    const fragment = await createHold(holdInput(london, { customer: { name: "Frag Ment", email: `x${unitCode.toLowerCase()}y@example.com` } }), partner.actor);
    await confirmBooking(fragment.reference, partner.actor);
    const pages = async (user: SessionUser, filter: Record<string, unknown>) => {
      const seen: { reference: string; exact: boolean; matchedBy: string[] }[] = [];
      let cursor: string | null = null;
      let n = 0;
      do {
        const page: Awaited<ReturnType<ReturnType<typeof callerFor>["bookings"]["search"]>> = await callerFor(user).bookings.search({ filter: { q: unitCode.toLowerCase(), ...filter }, limit: 2, cursor });
        seen.push(...page.items.map((i) => ({ reference: i.reference, exact: i.exact, matchedBy: i.matchedBy })));
        cursor = page.nextCursor;
        n++;
      } while (cursor && n < 10);
      return { seen, pages: n };
    };
    const newestFirst = (facilityCode?: string) =>
      [...made].reverse().filter((m) => !facilityCode || m.facilityCode === facilityCode).map((m) => ({ reference: m.reference, exact: true, matchedBy: ["unit_code"] }));

    expect(await pages(support, {})).toEqual({ seen: newestFirst(), pages: 3 });
    expect(await pages(support, { facilityCode: london.facilityCode })).toEqual({ seen: newestFirst(london.facilityCode), pages: 2 });
    expect(await pages(manager, {})).toEqual({ seen: newestFirst(london.facilityCode), pages: 2 });
    expect((await pages(support, { status: ["CANCELLED"] })).seen.map((s) => s.reference)).toEqual(newestFirst().slice(2).map((s) => s.reference));
    // the code names booked units, none of them confirmed: still a key, so the confirmed
    // fragment match is not searched for
    expect(await pages(support, { status: ["CONFIRMED"] })).toEqual({ seen: [], pages: 1 });
    const elsewhere = await createFacilityWithPool({ units: 1 });
    expect(await pages(support, { facilityCode: elsewhere.facilityCode })).toEqual({ seen: [], pages: 1 });
  });

  it("shows a site manager only their facilities' bookings, even when searched for by key", async () => {
    const lon = await createHold(holdInput(london), partner.actor);
    const nyc = await createHold(holdInput(newYork), partner.actor);

    const mine = await callerFor(manager).bookings.search({ filter: { q: lon.reference } });
    const theirs = await callerFor(manager).bookings.search({ filter: { q: nyc.reference } });
    const list = await callerFor(manager).bookings.search({ filter: {}, limit: 100 });

    expect(mine.items.map((i) => i.reference)).toEqual([lon.reference]);
    expect(theirs.items).toEqual([]);
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.filter((i) => i.facilityCode !== london.facilityCode)).toEqual([]);
    // support sees both
    expect((await callerFor(support).bookings.search({ filter: { q: nyc.reference } })).items).toHaveLength(1);
    // the filter menus follow the same scope
    const options = await callerFor(manager).bookings.filterOptions();
    expect(options.facilities.map((f) => f.code)).toEqual([london.facilityCode]);
  });

  it("filters by status, facility, partner and date ranges", async () => {
    const pool = await createFacilityWithPool({ units: 4 });
    const other = await createPartner();
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const a = await createHold(holdInput(pool, { move_in_date: day(30) }), partner.actor);
    const b = await createHold(holdInput(pool, { move_in_date: day(60) }), other.actor);
    await confirmBooking(b.reference, other.actor);
    const c = await createHold(holdInput(pool, { move_in_date: day(90) }), partner.actor);
    await cancelBooking(c.reference, { reason: "test" }, partner.actor);
    const refs = async (filter: Record<string, unknown>) =>
      (await callerFor(support).bookings.search({ filter: { facilityCode: pool.facilityCode, ...filter } })).items.map((i) => i.reference).sort();

    expect(await refs({})).toEqual([a.reference, b.reference, c.reference].sort());
    expect(await refs({ status: ["CONFIRMED"] })).toEqual([b.reference]);
    expect(await refs({ status: ["TENTATIVE", "CANCELLED"] })).toEqual([a.reference, c.reference].sort());
    expect(await refs({ partnerCode: other.code.toLowerCase() })).toEqual([b.reference]);
    expect(await refs({ moveInFrom: day(50), moveInTo: day(70) })).toEqual([b.reference]);
    const today = new Date().toISOString().slice(0, 10);
    expect(await refs({ createdFrom: today, createdTo: today })).toHaveLength(3);
    expect(await refs({ createdTo: "2020-01-01" })).toEqual([]);
  });

  it("pages with a keyset cursor: every booking once, newest first, until nextCursor is null", async () => {
    const pool = await createFacilityWithPool({ units: 7 });
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await createHold(holdInput(pool), partner.actor)).reference);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<ReturnType<typeof callerFor>["bookings"]["search"]>> = await callerFor(support).bookings.search({
        filter: { facilityCode: pool.facilityCode },
        limit: 3,
        cursor,
        // what TanStack's infinite query adds to the input
        direction: "forward",
      });
      seen.push(...page.items.map((i) => i.reference));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());
  });

  it("pages through a fragment's matches: exact ones first, then every partial one once, newest first, within the filters", async () => {
    const pool = await createFacilityWithPool({ units: 9 });
    const other = await createFacilityWithPool({ units: 4 });
    const word = `Pag${crypto.randomBytes(3).toString("hex")}`;
    const partials: string[] = [];
    for (let i = 0; i < 7; i++) {
      const email = i % 2 ? `${word.toLowerCase()}.${i}@example.com` : `n${i}@example.com`;
      const name = i % 2 ? `Someone Else` : `Ann ${word}son`;
      partials.push((await createHold(holdInput(pool, { customer: { name, email } }), partner.actor)).reference);
    }
    const exact = (await createHold(holdInput(pool, { customer: { name: word, email: "w@example.com" } }), partner.actor)).reference;
    // newer, matching, but outside the facility filter: never on a page, and never taking a page's place
    for (let i = 0; i < 4; i++) {
      await createHold(holdInput(other, { customer: { name: `Bob ${word}`, email: `b${i}@example.com` } }), partner.actor);
    }

    const { seen, pages } = await pageThrough(word.toLowerCase(), pool.facilityCode, 3);

    expect(seen).toEqual([{ reference: exact, exact: true }, ...[...partials].reverse().map((reference) => ({ reference, exact: false }))]);
    expect(pages).toBe(3);
  });

  it("pages through a whole name's matches: the name itself first, then the names that contain it, newest first, within the filters (docs/performance.md#booking-search)", async () => {
    const pool = await createFacilityWithPool({ units: 8 });
    const other = await createFacilityWithPool({ units: 2 });
    const surname = `Whl${crypto.randomBytes(3).toString("hex")}`;
    const name = `Ann ${surname}`;
    const exact = (await createHold(holdInput(pool, { customer: { name, email: "a@example.com" } }), partner.actor)).reference;
    const partials: string[] = [];
    for (const containing of [`Joann ${surname}`, `${name}son`, `Mary-Ann ${surname}-Smith`, `${name.toUpperCase()}E`, `Leeann ${surname}`]) {
      partials.push((await createHold(holdInput(pool, { customer: { name: containing, email: "c@example.com" } }), partner.actor)).reference);
    }
    // newer, containing the name, but outside the facility filter
    await createHold(holdInput(other, { customer: { name: `Joann ${surname}`, email: "o@example.com" } }), partner.actor);

    const { seen, pages } = await pageThrough(name.toLowerCase(), pool.facilityCode, 2);

    expect(seen).toEqual([{ reference: exact, exact: true }, ...[...partials].reverse().map((reference) => ({ reference, exact: false }))]);
    expect(pages).toBe(3);
    // a text with a space that is nobody's whole name still finds the names containing it
    const part = (await callerFor(support).bookings.search({ filter: { q: `n ${surname}`, facilityCode: pool.facilityCode } })).items;
    expect(part.map((i) => ({ reference: i.reference, exact: i.exact }))).toEqual([exact, ...partials].reverse().map((reference) => ({ reference, exact: false })));
  });

  it("when a whole name's own bookings fill a page, the names containing it follow on the next pages (docs/performance.md#booking-search)", async () => {
    const pool = await createFacilityWithPool({ units: 9 });
    // exactly a page of the name itself (2), and more than a page (3): the partial matches
    // are skipped while the name fills the page, and must still follow it
    for (const exactCount of [2, 3]) {
      const name = `Bo Fil${crypto.randomBytes(3).toString("hex")}`;
      const exact: string[] = [];
      for (let i = 0; i < exactCount; i++) {
        exact.push((await createHold(holdInput(pool, { customer: { name, email: "f@example.com" } }), partner.actor)).reference);
      }
      const partials: string[] = [];
      for (const containing of [`${name}son`, `Jo ${name}`]) {
        partials.push((await createHold(holdInput(pool, { customer: { name: containing, email: "g@example.com" } }), partner.actor)).reference);
      }
      const { seen, pages } = await pageThrough(name, pool.facilityCode, 2);
      expect(seen).toEqual([
        ...[...exact].reverse().map((reference) => ({ reference, exact: true })),
        ...[...partials].reverse().map((reference) => ({ reference, exact: false })),
      ]);
      expect(pages).toBe(Math.ceil((exactCount + partials.length) / 2));
    }
  });

  it("answers bad input with a validation error (BAD_REQUEST), never a 500", async () => {
    const caller = callerFor(support);
    expect(await codeOf(caller.bookings.search({ filter: { q: "x".repeat(201) } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.bookings.search({ filter: { status: ["LOST" as never] } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.bookings.search({ filter: { createdFrom: "2026-02-30" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.bookings.search({ filter: { moveInFrom: "2031-02-02", moveInTo: "2031-01-01" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.bookings.search({ filter: { facilityCode: "'; drop table bookings; --" } }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.bookings.search({ filter: {}, cursor: "not-a-cursor" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.bookings.search({ filter: {}, limit: 1000 }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.bookings.search({ filter: { sneaky: 1 } as never }))).toBe("BAD_REQUEST");
    // SQL-looking and LIKE-wildcard text is just text
    expect((await caller.bookings.search({ filter: { q: "%" } })).items).toEqual([]);
    expect((await caller.bookings.search({ filter: { q: "' OR 1=1 --" } })).items).toEqual([]);
  });

  it("refuses the signed-out", async () => {
    expect(await codeOf(callerFor(null).bookings.search({ filter: {} }))).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(null).bookings.timeline({ reference: "BK-AAAAAA" }))).toBe("UNAUTHORIZED");
  });

  it("exports every matching row up to the cap", async () => {
    const pool = await createFacilityWithPool({ units: 3 });
    for (let i = 0; i < 3; i++) await createHold(holdInput(pool), partner.actor);
    const exported = await callerFor(support).bookings.export({ filter: { facilityCode: pool.facilityCode } });
    expect(exported.rows).toHaveLength(3);
    expect(exported.truncated).toBe(false);
  });
});

describe("bookings.get and bookings.timeline", () => {
  it("is NOT_FOUND for an unknown reference or a booking outside a site manager's facilities", async () => {
    const nyc = await createHold(holdInput(newYork), partner.actor);
    expect(await codeOf(callerFor(manager).bookings.get({ reference: nyc.reference }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(manager).bookings.timeline({ reference: nyc.reference }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(support).bookings.timeline({ reference: "BK-NOSUCH" }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(support).bookings.get({ reference: "../etc/passwd" }))).toBe("BAD_REQUEST");
    expect((await callerFor(support).bookings.get({ reference: nyc.reference.toLowerCase() })).reference).toBe(nyc.reference);
  });

  it("merges events, deliveries and attempts, audit, idempotency hits and access grants, grouped by correlation id", async () => {
    const api = client(server.url, partner.apiKey);
    const endpoint = await createWebhookEndpoint({ url: `${receiver.url}/hooks`, event_types: [] }, partner.actor);

    // Hold through the API, then the same request again (a client retry): a replay.
    const holdCorrelation = `cor_hold_${crypto.randomUUID()}`;
    const idempotencyKey = `idem-timeline-${crypto.randomUUID()}`;
    const body = holdInput(london);
    const first = await api("POST", "/api/v1/bookings", { body, idempotencyKey, headers: { "x-correlation-id": holdCorrelation } });
    expect(first.status).toBe(201);
    const replay = await api("POST", "/api/v1/bookings", { body, idempotencyKey, headers: { "x-correlation-id": holdCorrelation } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const reference = first.json.reference as string;

    const ops = await sessionUser({ role: "OPS_LEAD" });
    const opsActor = (correlationId: string) => ({
      ...createInnerContext({ user: ops, meta: { ...meta(), correlationId } }).actor!,
    });
    await confirmBooking(reference, withCorrelation(partner.actor, `cor_confirm_${crypto.randomUUID()}`));
    await fulfilBooking(reference, opsActor(`cor_fulfil_${crypto.randomUUID()}`));
    const cancelCorrelation = `cor_cancel_${crypto.randomUUID()}`;
    await cancelBooking(reference, { reason: "Moved out early" }, opsActor(cancelCorrelation));
    // Deliver until every event of this booking has been answered (an endpoint takes a few at a time).
    const bookingId = (await getDb().booking.findUniqueOrThrow({ where: { reference } })).id;
    for (let pass = 0; pass < 200; pass++) {
      await dispatchOnce();
      const open = await getDb().webhookDelivery.count({
        where: { endpointId: endpoint.endpoint.id, event: { bookingId }, status: { not: "SUCCEEDED" } },
      });
      const made = await getDb().webhookDelivery.count({ where: { endpointId: endpoint.endpoint.id, event: { bookingId } } });
      if (made === 10 && open === 0) break;
    }

    // the request log row is written after the answer: wait for it
    for (let i = 0; i < 50; i++) {
      if (await getDb().apiRequestLog.count({ where: { correlationId: holdCorrelation, replayed: true } })) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const timeline = await callerFor(support).bookings.timeline({ reference });
    const entries = timeline.groups.flatMap((g) => g.entries);
    const events = entries.filter((e): e is Extract<TimelineEntry, { kind: "event" }> => e.kind === "event");

    expect(events.filter((e) => e.type.startsWith("booking.") || e.type.startsWith("access.")).map((e) => e.type)).toEqual([
      "booking.held",
      "booking.confirmed",
      "booking.fulfilled",
      "access.granted",
      "booking.cancelled",
      "access.revoked",
    ]);
    expect(events.filter((e) => e.type === "inventory.updated")).toHaveLength(4);
    // who and why
    const cancelled = events.find((e) => e.type === "booking.cancelled")!;
    expect(cancelled).toMatchObject({ actor: { type: "USER", label: ops.email }, reason: "Moved out early", correlationId: cancelCorrelation });
    expect(events.find((e) => e.type === "booking.held")!.actor).toEqual({ type: "PARTNER", label: partner.code });
    // never a gate code
    expect(JSON.stringify(timeline)).not.toMatch(/code_ciphertext|codeCiphertext/);
    // every event was delivered to the endpoint, each with its attempt
    for (const event of events) {
      expect(event.deliveries, event.type).toEqual([
        expect.objectContaining({
          endpointId: endpoint.endpoint.id,
          status: "SUCCEEDED",
          attempts: [expect.objectContaining({ attemptNumber: 1, responseStatus: 204, signedWith: ["secret_v1"] })],
        }),
      ]);
    }
    expect(timeline.counts).toMatchObject({ events: 10, deliveries: 10, attempts: 10 });
    // audit entries of each change, with the actor
    const audits = entries.filter((e): e is Extract<TimelineEntry, { kind: "audit" }> => e.kind === "audit");
    expect(audits.map((a) => a.action)).toEqual(["booking.hold", "booking.confirm", "booking.fulfil", "booking.cancel"]);
    expect(audits.find((a) => a.action === "booking.cancel")).toMatchObject({ reason: "Moved out early", actor: { label: ops.email } });
    // the idempotency record and the replayed request
    expect(entries.find((e) => e.kind === "idempotency")).toMatchObject({ idempotencyKey, replayCount: 1, responseStatus: 201 });
    expect(entries.find((e) => e.kind === "replay")).toMatchObject({ route: "/api/v1/bookings", status: 201, correlationId: holdCorrelation });

    // grouped by correlation id: one group per request, in order
    const hold = timeline.groups[0]!;
    expect(hold.correlationId).toBe(holdCorrelation);
    expect(new Set(hold.entries.map((e) => e.kind))).toEqual(new Set(["event", "audit", "idempotency", "replay"]));
    expect(timeline.groups.map((g) => g.correlationId)).toHaveLength(4);
    const cancelGroup = timeline.groups.find((g) => g.correlationId === cancelCorrelation)!;
    expect(cancelGroup.actors).toEqual([{ type: "USER", label: ops.email }]);
    expect(cancelGroup.entries.map((e) => (e.kind === "event" ? e.type : e.kind))).toEqual([
      "inventory.updated",
      "booking.cancelled",
      "access.revoked",
      "audit",
    ]);
    for (const group of timeline.groups) {
      expect(group.entries.filter((e) => e.correlationId !== group.correlationId)).toEqual([]);
    }
    // a webhook delivery id quoted by a partner finds the booking too
    const deliveryId = cancelled.deliveries[0]!.id;
    const found = await callerFor(support).bookings.search({ filter: { q: deliveryId } });
    expect(found.items).toEqual([expect.objectContaining({ reference, matchedBy: ["delivery_id"], exact: true })]);
  });

  it("shows a lapsed hold before the expiry job has run", async () => {
    const held = await createHold(holdInput(london), partner.actor, { now: new Date(Date.now() - 3_600_000) });
    const timeline = await callerFor(support).bookings.timeline({ reference: held.reference });
    expect(timeline.booking.status).toBe("EXPIRED");
    const last = timeline.groups.at(-1)!;
    expect(last).toMatchObject({ correlationId: null, entries: [expect.objectContaining({ kind: "hold_lapsed" })] });
  });
});
