import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { decryptSecret } from "../../server/domain/shared/secrets";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

/**
 * Site operations over real HTTP (docs/partner-api.md): a partner reads its moved-in
 * tenant's gate code under `access:read` — the code never reaches the request log — and
 * moves the tenant out.
 */

let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startRouteServer();
  [pool, partner] = await Promise.all([createFacilityWithPool({ units: 10 }), createPartner()]);
  api = client(server.url, partner.apiKey);
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

async function movedIn(): Promise<string> {
  const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
  expect(held.status).toBe(201);
  const reference = held.json.reference as string;
  expect((await api("POST", `/api/v1/bookings/${reference}/confirm`)).status).toBe(200);
  expect((await api("POST", `/api/v1/bookings/${reference}/fulfil`)).status).toBe(200);
  return reference;
}

describe("GET /api/v1/bookings/{reference}/access", () => {
  it("answers the partner its tenant's code, and the request log keeps it redacted", async () => {
    const reference = await movedIn();
    const correlationId = `cor-access-${reference}`;
    const answer = await api("GET", `/api/v1/bookings/${reference}/access`, { headers: { "x-correlation-id": correlationId } });
    expect(answer.status).toBe(200);
    const grant = await getDb().accessGrant.findFirstOrThrow({ where: { booking: { reference }, status: "ACTIVE" } });
    expect(answer.json).toEqual({
      reference,
      access_grant_id: grant.id,
      status: "active",
      issued_at: grant.issuedAt.toISOString(),
      access_code: decryptSecret(grant.codeCiphertext),
    });
    const logged = await getDb().apiRequestLog.findFirstOrThrow({ where: { correlationId } });
    expect(logged.responseBody ?? "").not.toContain(answer.json.access_code as string);
    expect(logged.responseBody ?? "").toContain("[redacted]");
  });

  it("refuses a key without access:read (403) and a booking not moved in (409)", async () => {
    const reference = await movedIn();
    const limited = client(server.url, (await createPartner({ scopes: ["bookings:read", "bookings:write"] })).apiKey);
    const forbidden = await limited("GET", `/api/v1/bookings/${reference}/access`);
    expect({ status: forbidden.status, code: forbidden.json.code }).toEqual({ status: 403, code: "FORBIDDEN" });
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    const conflict = await api("GET", `/api/v1/bookings/${held.json.reference as string}/access`);
    expect({ status: conflict.status, code: conflict.json.code }).toEqual({ status: 409, code: "CONFLICT" });
  });
});

describe("POST /api/v1/bookings/{reference}/move-out", () => {
  it("moves the tenant out: moved_out, access revoked, the unit blocked for cleaning; a repeat is a no-op", async () => {
    const reference = await movedIn();
    const answer = await api("POST", `/api/v1/bookings/${reference}/move-out`, { body: { note: "keys returned" } });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ reference, status: "moved_out", allowed_actions: [] });
    expect(typeof answer.json.moved_out_at).toBe("string");
    const booking = await getDb().booking.findUniqueOrThrow({ where: { reference }, include: { unit: true, accessGrants: true } });
    expect(booking.unit.status).toBe("BLOCKED");
    expect(booking.accessGrants.map((g) => g.status)).toEqual(["REVOKED"]);
    const again = await api("POST", `/api/v1/bookings/${reference}/move-out`, { body: {} });
    expect(again.status).toBe(200);
    const gone = await api("GET", `/api/v1/bookings/${reference}/access`);
    expect(gone.status).toBe(409);
  });

  it("refuses a date in the future with VALIDATION_FAILED naming move_out_date", async () => {
    const reference = await movedIn();
    const answer = await api("POST", `/api/v1/bookings/${reference}/move-out`, { body: { move_out_date: "2999-01-01" } });
    expect(answer.status).toBe(422);
    expect(JSON.stringify(answer.json)).toContain("move_out_date");
    expect((await getDb().booking.findUniqueOrThrow({ where: { reference } })).status).toBe("FULFILLED");
  });
});
