import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { callerFor, sessionUser } from "../trpc-caller";
import { client } from "./helpers";

/**
 * Refused partner calls on a booking, over real HTTP: each is audited through the one
 * refusal writer and shows on the booking's timeline (as the console reads it, through
 * tRPC) with its code, its detail, the partner and the correlation id. A replayed
 * refusal (same Idempotency-Key) is the same call, audited once.
 */

let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startRouteServer();
  [pool, partner] = await Promise.all([createFacilityWithPool({ units: 4 }), createPartner()]);
  api = client(server.url, partner.apiKey);
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

async function timelineOf(reference: string) {
  const ops = await sessionUser({ role: "OPS_LEAD" });
  return callerFor(ops).bookings.timeline({ reference });
}

const refusedEntries = (timeline: Awaited<ReturnType<typeof timelineOf>>) =>
  timeline.groups.flatMap((group) => group.entries).filter((entry) => entry.kind === "audit" && entry.result !== "SUCCESS");

describe("refused partner calls on a booking", () => {
  it("a confirm answered HOLD_EXPIRED appears on the booking's timeline with its code, detail, partner and correlation id; a replay is not audited again", async () => {
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    expect(held.status).toBe(201);
    const reference = held.json.reference as string;
    await getDb().booking.update({ where: { reference }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });

    const confirm = await api("POST", `/api/v1/bookings/${reference}/confirm`, {
      idempotencyKey: `confirm-${reference}`,
      headers: { "x-correlation-id": `cor-expired-${reference}` },
    });
    expect(confirm.status).toBe(409);
    expect(confirm.json).toMatchObject({ code: "HOLD_EXPIRED" });
    const replay = await api("POST", `/api/v1/bookings/${reference}/confirm`, { idempotencyKey: `confirm-${reference}` });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");

    const refusals = refusedEntries(await timelineOf(reference));
    expect(refusals).toMatchObject([
      {
        kind: "audit",
        action: "booking.confirm",
        result: "FAILED",
        correlationId: `cor-expired-${reference}`,
        actor: { type: "PARTNER", label: partner.code },
        targetType: "booking",
        targetId: reference,
        reason: confirm.json.detail,
        refusal: { code: "HOLD_EXPIRED", detail: confirm.json.detail, request: "POST /api/v1/bookings/{reference}/confirm" },
        metadata: { partner: partner.code, status: 409 },
      },
    ]);
  });

  it("another partner's cancel of the booking is a 404 to them, audited as DENIED on the booking's timeline", async () => {
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    const reference = held.json.reference as string;
    const intruder = await createPartner();

    const cancel = await client(server.url, intruder.apiKey)("POST", `/api/v1/bookings/${reference}/cancel`, { body: { reason: "not ours" } });

    expect(cancel.status).toBe(404);
    expect((await getDb().booking.findUniqueOrThrow({ where: { reference } })).status).toBe("TENTATIVE");
    expect(refusedEntries(await timelineOf(reference))).toMatchObject([
      {
        action: "booking.cancel",
        result: "DENIED",
        actor: { type: "PARTNER", label: intruder.code },
        correlationId: cancel.headers.get("x-correlation-id"),
        refusal: { code: "NOT_FOUND" },
      },
    ]);
  });

  it("a key without bookings:write is FORBIDDEN, audited as DENIED on the booking; malformed input is refused and not audited", async () => {
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    const reference = held.json.reference as string;
    const readOnly = await createPartner({ scopes: ["bookings:read"] });

    const forbidden = await client(server.url, readOnly.apiKey)("POST", `/api/v1/bookings/${reference}/fulfil`);
    const malformed = await api("POST", `/api/v1/bookings/${reference}/cancel`, { body: { reason: "" } });

    expect(forbidden.status).toBe(403);
    expect(malformed.status).toBe(422);
    expect(refusedEntries(await timelineOf(reference))).toMatchObject([
      { action: "booking.fulfil", result: "DENIED", actor: { label: readOnly.code }, refusal: { code: "FORBIDDEN" } },
    ]);
    expect(await getDb().auditEntry.count({ where: { correlationId: malformed.headers.get("x-correlation-id")! } })).toBe(0);
  });

  it("another partner's delete or secret rotation of a webhook endpoint is a 404 to them, audited as DENIED against the endpoint", async () => {
    const created = await api("POST", "/api/v1/webhook-endpoints", { body: { url: "http://127.0.0.1:9/hooks/holdfast" } });
    expect(created.status).toBe(201);
    const endpointId = created.json.id as string;
    const intruder = client(server.url, (await createPartner()).apiKey);

    const deleted = await intruder("DELETE", `/api/v1/webhook-endpoints/${endpointId}`);
    const rotated = await intruder("POST", `/api/v1/webhook-endpoints/${endpointId}/rotate-secret`);

    expect([deleted.status, rotated.status]).toEqual([404, 404]);
    const audits = await getDb().auditEntry.findMany({ where: { targetType: "webhook_endpoint", targetId: endpointId, result: { not: "SUCCESS" } }, orderBy: { id: "asc" } });
    expect(audits).toMatchObject([
      { action: "webhook_endpoint.delete", result: "DENIED", correlationId: deleted.headers.get("x-correlation-id"), metadata: { code: "NOT_FOUND" } },
      { action: "webhook_endpoint.rotate_secret", result: "DENIED", correlationId: rotated.headers.get("x-correlation-id"), metadata: { code: "NOT_FOUND" } },
    ]);
    expect(await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).toMatchObject({ deletedAt: null });
  });
});
