import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "../../server/db";
import { bookingResource } from "../../server/http/resources";
import type { BookingView } from "../../server/domain/bookings/booking-view";
import { createPartner } from "../factories";
import { startRouteServer } from "../route-server";

/**
 * The contract check that every integration test's partner-API traffic goes through
 * (test/route-server.ts + test/contract/openapi-contract.ts) must be able to fail: served
 * over a deliberately drifted handler, a wrong body, an undeclared status and a missing
 * header are each answered 599 and fail the file when the server closes.
 */
describe("the integration server checks every partner-API response against the served OpenAPI document", () => {
  it("answers 599 for a response that breaks the document, and fails on close()", async () => {
    const server = await startRouteServer(path.resolve("test/contract/fixtures/drifted-app"));
    const get = async (reference: string) => {
      const response = await fetch(`${server.url}/api/v1/bookings/${reference}`);
      return { status: response.status, text: await response.text() };
    };

    const fine = await get("BK-FINE");
    expect(fine.status, fine.text).toBe(404);

    const wrongBody = await get("BK-WRONGBODY");
    expect(wrongBody.status).toBe(599);
    expect(wrongBody.text).toContain("body/status must be equal to one of the allowed values");
    expect(wrongBody.text).toContain("must have required property 'unit_code'");

    const undeclared = await get("BK-UNDECLARED");
    expect(undeclared.status).toBe(599);
    expect(undeclared.text).toContain("status 409 is not declared for GET /api/v1/bookings/{reference}");

    const noCorrelation = await get("BK-NOCORRELATION");
    expect(noCorrelation.status).toBe(599);
    expect(noCorrelation.text).toContain("required header X-Correlation-Id is missing");

    await expect(server.close()).rejects.toThrow(/partner-API response\(s\) broke the served OpenAPI document/);
  });

  it("passes the real app's answers, the refusals the document once left out included, and closes cleanly", async () => {
    const server = await startRouteServer();
    const partner = await createPartner();
    const get = async (path: string, headers: Record<string, string> = {}, key = partner.apiKey) =>
      (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } })).status;
    expect(await get("/api/v1/facilities", { authorization: "Bearer hf_nobody_00000000" })).toBe(401);
    // 422 on reads: a bad limit, an unknown query parameter, a bad cursor, a malformed If-Match
    expect(await get("/api/v1/events?limit=0")).toBe(422);
    expect(await get("/api/v1/availability?colour=red")).toBe(422);
    expect(await get("/api/v1/webhook-endpoints?after=nope")).toBe(422);
    expect(await get("/api/v1/bookings/BK-NOSUCH", { "if-match": "yesterday" })).toBe(422);
    expect(await get("/api/v1/bookings/BK-NOSUCH")).toBe(404);
    // 429 on a read that once declared none
    const limited = await createPartner();
    await getDb().apiKey.update({ where: { id: limited.apiKeyId }, data: { readRateLimitPerMinute: 1 } });
    expect(await get("/api/v1/bookings/BK-NOSUCH", {}, limited.apiKey)).toBe(404);
    expect(await get("/api/v1/bookings/BK-NOSUCH", {}, limited.apiKey)).toBe(429);
    await expect(server.close()).resolves.toBeUndefined();
  });
});

describe("responses are built through the document's zod schemas", () => {
  const view = {
    reference: "BK-7F3K2Q",
    status: "TENTATIVE",
    facilityCode: "LON-01",
    unitTypeCode: "10X10",
    unitCode: "A-101",
    partnerBookingReference: "MKT-1",
    customer: { name: "Ada Lovelace", email: "ada@example.com", phone: null },
    moveInDate: "2026-12-12",
    holdExpiresAt: new Date("2026-12-05T08:15:00Z"),
    inventoryVersion: 4,
    idempotencyKey: "k",
    lastEventAt: new Date("2026-12-05T08:00:00Z"),
    createdAt: new Date("2026-12-05T08:00:00Z"),
    cancelReason: null,
    allowedActions: ["confirm", "cancel"],
  } as unknown as BookingView;

  it("a value the document does not allow fails in the handler, not at the partner", () => {
    expect(bookingResource(view).status).toBe("tentative");
    expect(() => bookingResource({ ...view, status: "ON_HOLD" } as unknown as BookingView)).toThrow(/status/);
    expect(() => bookingResource({ ...view, moveInDate: "12/12/2026" } as unknown as BookingView)).toThrow(/move_in_date/);
  });
});
