import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "../../../test/api/helpers";
import { createConsoleUser, createFacilityWithPool, createPartner, holdInput, poolState, type TestPartner, type TestPool, type TestUser } from "../../../test/factories";
import { startRouteServer, type RouteServer } from "../../../test/route-server";
import { getDb } from "../../db";
import { closeRateLimitPool } from "../rate-limits/consume";
import { DomainError } from "@/server/domain/shared/errors";
import { eraseCustomer } from "./erase-customer";

/**
 * Erasure (docs/domain.md#erasing-a-customer), through the real partner API so the
 * stored idempotent answers and the request log hold the customer as they do in life:
 * afterwards nothing of the customer is left anywhere, and every fact is kept.
 */

let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;
let opsLead: TestUser;
let support: TestUser;

beforeAll(async () => {
  server = await startRouteServer();
  [pool, partner] = await Promise.all([createFacilityWithPool({ units: 4 }), createPartner()]);
  api = client(server.url, partner.apiKey);
  opsLead = await createConsoleUser({ role: "OPS_LEAD" });
  support = await createConsoleUser({ role: "SUPPORT" });
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
});

/** Every text column where the customer could be, for one booking. */
async function traces(reference: string, bookingId: string): Promise<string> {
  const db = getDb();
  const [booking, records, logs] = await Promise.all([
    db.booking.findUniqueOrThrow({ where: { id: bookingId } }),
    db.idempotencyRecord.findMany({ where: { bookingId }, select: { responseBody: true } }),
    db.apiRequestLog.findMany({ where: { bookingReferences: { has: reference } }, select: { requestBody: true, responseBody: true } }),
  ]);
  return JSON.stringify([booking.customerName, booking.customerEmail, booking.customerPhone, records, logs]);
}

describe("eraseCustomer", () => {
  it("leaves nothing of the customer in the booking, the stored answers or the request log, keeps every fact, and says so once", async () => {
    const name = `Erin Erasable ${crypto.randomUUID().slice(0, 8)}`;
    const email = `erin.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const phone = "+44 20 7946 0123";
    const held = await api("POST", "/api/v1/bookings", {
      body: holdInput(pool, { customer: { name, email, phone } }),
      idempotencyKey: `erase-${crypto.randomUUID()}`,
    });
    expect(held.status).toBe(201);
    const reference = held.json.reference as string;
    const read = await api("GET", `/api/v1/bookings/${reference}`);
    expect(read.status).toBe(200);
    const before = await getDb().booking.findUniqueOrThrow({ where: { reference } });
    const beforeText = await traces(reference, before.id);
    for (const value of [name, email, phone]) expect(beforeText).toContain(value);
    const counters = await poolState(pool.poolId);
    const eventsBefore = await getDb().event.count({ where: { bookingId: before.id } });

    const erased = await eraseCustomer(reference, { reason: "Customer asked to be forgotten (ticket 4411)" }, opsLead.actor);
    expect(erased.changed).toBe(true);

    const afterText = await traces(reference, before.id);
    for (const value of [name, email, phone, "Erin", "erin."]) expect(afterText).not.toContain(value);
    const after = await getDb().booking.findUniqueOrThrow({ where: { reference } });
    // the facts stay
    expect(after).toMatchObject({
      status: before.status,
      unitId: before.unitId,
      poolId: before.poolId,
      moveInDate: before.moveInDate,
      monthlyRateCents: before.monthlyRateCents,
      partnerBookingReference: before.partnerBookingReference,
      customerName: "[erased]",
      customerEmail: "[erased]",
      customerPhone: null,
      version: before.version + 1,
    });
    expect(after.customerErasedAt).not.toBeNull();
    expect(await poolState(pool.poolId)).toEqual(counters);
    // events stay, one customer.erased more, carrying nothing of the customer
    const events = await getDb().event.findMany({ where: { bookingId: before.id }, orderBy: { aggregateVersion: "asc" } });
    expect(events).toHaveLength(eventsBefore + 1);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ type: "customer.erased", aggregateVersion: before.version + 1, partnerId: partner.id });
    expect(JSON.stringify(last.data)).not.toContain(email);
    // audited with who and why
    const audit = await getDb().auditEntry.findFirstOrThrow({ where: { action: "booking.erase_customer", targetId: reference } });
    expect(audit).toMatchObject({ result: "SUCCESS", actorId: opsLead.id, reason: "Customer asked to be forgotten (ticket 4411)" });
    // the partner reads the booking without the customer
    const reread = await api("GET", `/api/v1/bookings/${reference}`);
    expect(JSON.stringify(reread.json)).not.toContain(email);

    // a second erasure changes nothing and tells nobody again
    const again = await eraseCustomer(reference, { reason: "again" }, opsLead.actor);
    expect(again.changed).toBe(false);
    expect(await getDb().event.count({ where: { bookingId: before.id } })).toBe(eventsBefore + 1);
  });

  it("is refused to support (FORBIDDEN, audited as DENIED), without a reason (VALIDATION_FAILED), and for an unknown booking (NOT_FOUND), changing nothing", async () => {
    const email = `keep.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool, { customer: { name: "Kept Customer", email } }), idempotencyKey: `keep-${crypto.randomUUID()}` });
    expect(held.status).toBe(201);
    const reference = held.json.reference as string;
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference } });
    const before = await traces(reference, booking.id);

    const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => (e instanceof DomainError ? e.code : String(e)));
    expect(await refusal(eraseCustomer(reference, { reason: "not mine to do" }, support.actor))).toBe("FORBIDDEN");
    expect(await refusal(eraseCustomer(reference, { reason: "   " }, opsLead.actor))).toBe("VALIDATION_FAILED");
    expect(await refusal(eraseCustomer(reference, { reason: "x", extra: 1 } as never, opsLead.actor))).toBe("VALIDATION_FAILED");
    expect(await refusal(eraseCustomer("BK-NOPE0000", { reason: "unknown" }, opsLead.actor))).toBe("NOT_FOUND");

    expect(await traces(reference, booking.id)).toBe(before);
    expect(await getDb().event.count({ where: { bookingId: booking.id, type: "customer.erased" } })).toBe(0);
    const denied = await getDb().auditEntry.findMany({ where: { action: "customer.erase", actorId: support.id, result: "DENIED" } });
    expect(denied).toHaveLength(1);
    expect(denied[0]!.metadata).toMatchObject({ code: "FORBIDDEN", attempted_target: { type: "booking", id: reference } });
  });
});
