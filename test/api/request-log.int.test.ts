import { execFile } from "node:child_process";
import { promisify } from "node:util";
import crypto from "node:crypto";
import { curlExample } from "../../components/api-docs/curl-example";
import { listOperations, type OpenApiDocument } from "../../components/api-docs/openapi-model";
import { buildOpenApiDocument } from "../../server/http/openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../server/db";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { listApiRequests } from "../../server/domain/request-log/list-api-requests";
import { actorForUser } from "../../server/domain/shared/actor";
import { callerFor, sessionUser } from "../trpc-caller";
import { partnerRoute } from "../../server/http/partner-route";
import { createFacilityWithPool, createPartner, holdInput, partnerActor, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

/**
 * The request log (docs/request-log.md), over real HTTP: every answered partner call is a
 * row the moment its answer arrives — no waiting, no polling — whatever the outcome, with
 * its partner, key prefix, route, path, status, problem code, idempotency key, correlation
 * id, IP, user agent, booking references and redacted bodies.
 */

let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  server = await startRouteServer();
  [pool, partner] = await Promise.all([createFacilityWithPool({ units: 6 }), createPartner()]);
  api = client(server.url, partner.apiKey);
});
afterAll(async () => {
  await server.close();
  await closeRateLimitPool();
  await disconnectDb();
});

/** The row of one call, read at once: it must already be there. */
async function rowOf(correlationId: string) {
  const rows = await getDb().apiRequestLog.findMany({ where: { correlationId }, orderBy: { id: "asc" } });
  expect(rows, `request log rows for ${correlationId}`).toHaveLength(1);
  return rows[0]!;
}

const cid = (label: string) => `cor-${label}-${crypto.randomUUID()}`;

describe("every answered partner call is in the request log when its answer arrives", () => {
  it("201: the hold with its partner, key prefix, idempotency key, booking, facility, bodies, IP and user agent; its replay marked replayed", async () => {
    const key = `hold-${crypto.randomUUID()}`;
    const correlationId = cid("created");
    const input = holdInput(pool);
    const created = await api("POST", "/api/v1/bookings", {
      body: input,
      idempotencyKey: key,
      headers: { "x-correlation-id": correlationId, "user-agent": "reqlog-test/1.0" },
    });
    expect(created.status).toBe(201);
    const reference = created.json.reference as string;

    const row = await rowOf(correlationId);
    expect(row).toMatchObject({
      source: "partner_api",
      partnerId: partner.id,
      apiKeyId: partner.apiKeyId,
      keyPrefix: partner.apiKey.slice(0, 12),
      method: "POST",
      route: "/api/v1/bookings",
      path: "/api/v1/bookings",
      query: null,
      status: 201,
      code: null,
      idempotencyKey: key,
      replayed: false,
      userAgent: "reqlog-test/1.0",
      facilityId: pool.facilityId,
      bookingReferences: [reference],
    });
    expect(row.ip).toMatch(/^(127\.0\.0\.1|::1)$/);
    expect(JSON.parse(row.requestBody!)).toEqual(input);
    expect(JSON.parse(row.responseBody!)).toEqual(created.json);

    const replayCid = cid("replay");
    const replay = await api("POST", "/api/v1/bookings", { body: input, idempotencyKey: key, headers: { "x-correlation-id": replayCid } });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await rowOf(replayCid)).toMatchObject({ status: 201, replayed: true, idempotencyKey: key, bookingReferences: [reference] });
  });

  it("409 and 422 refusals keep their problem code, the booking they named and the refused body", async () => {
    const held = await api("POST", "/api/v1/bookings", { body: holdInput(pool) });
    const reference = held.json.reference as string;
    await getDb().booking.update({ where: { reference }, data: { holdExpiresAt: new Date(Date.now() - 1000) } });

    const expiredCid = cid("expired");
    const confirm = await api("POST", `/api/v1/bookings/${reference}/confirm`, { headers: { "x-correlation-id": expiredCid } });
    expect(confirm.status).toBe(409);
    expect(await rowOf(expiredCid)).toMatchObject({
      status: 409,
      code: "HOLD_EXPIRED",
      route: "/api/v1/bookings/{reference}/confirm",
      path: `/api/v1/bookings/${reference}/confirm`,
      bookingReferences: [reference],
      facilityId: pool.facilityId,
    });

    const invalidCid = cid("invalid");
    const invalid = await api("POST", "/api/v1/bookings", {
      body: { ...holdInput(pool), move_in_date: "soon" },
      headers: { "x-correlation-id": invalidCid },
    });
    expect(invalid.status).toBe(422);
    const row = await rowOf(invalidCid);
    expect(row).toMatchObject({ status: 422, code: "VALIDATION_FAILED", facilityId: pool.facilityId });
    expect(JSON.parse(row.requestBody!)).toMatchObject({ move_in_date: "soon" });
    expect(JSON.parse(row.responseBody!)).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("401 with the prefix of the key presented and no partner; 429 once the key's limit is spent; 413 without the body", async () => {
    const unauthCid = cid("unauth");
    const wrongKey = `hf_live_${"x".repeat(40)}`;
    const unauth = await client(server.url, wrongKey)("GET", "/api/v1/facilities", { headers: { "x-correlation-id": unauthCid } });
    expect(unauth.status).toBe(401);
    const unauthRow = await rowOf(unauthCid);
    expect(unauthRow).toMatchObject({ status: 401, code: "UNAUTHENTICATED", partnerId: null, apiKeyId: null, keyPrefix: "hf_live_xxxx" });
    expect(JSON.stringify({ ...unauthRow, id: String(unauthRow.id) })).not.toContain(wrongKey);

    const limited = await createPartner();
    await getDb().apiKey.update({ where: { id: limited.apiKeyId }, data: { readRateLimitPerMinute: 1 } });
    const limitedApi = client(server.url, limited.apiKey);
    expect((await limitedApi("GET", "/api/v1/facilities?limit=5")).status).toBe(200);
    const limitedCid = cid("limited");
    const refused = await limitedApi("GET", "/api/v1/facilities?limit=5", { headers: { "x-correlation-id": limitedCid } });
    expect(refused.status).toBe(429);
    expect(await rowOf(limitedCid)).toMatchObject({ status: 429, code: "RATE_LIMITED", partnerId: limited.id, query: "limit=5" });

    // refused before the body was read: the body is still logged, and names the facility
    const unauthHoldCid = cid("unauth-hold");
    const unauthHold = await client(server.url, wrongKey)("POST", "/api/v1/bookings", { body: holdInput(pool), headers: { "x-correlation-id": unauthHoldCid } });
    expect(unauthHold.status).toBe(401);
    expect(await rowOf(unauthHoldCid)).toMatchObject({ status: 401, partnerId: null, facilityId: pool.facilityId, requestBody: expect.stringContaining(pool.facilityCode) });
    await getDb().apiKey.update({ where: { id: limited.apiKeyId }, data: { writeRateLimitPerMinute: 1 } });
    const limitedHolds = [cid("limited-hold-1"), cid("limited-hold-2")];
    for (const id of limitedHolds) await limitedApi("POST", "/api/v1/bookings", { body: holdInput(pool), headers: { "x-correlation-id": id }, idempotencyKey: id });
    expect(await rowOf(limitedHolds[1]!)).toMatchObject({ status: 429, code: "RATE_LIMITED", partnerId: limited.id, facilityId: pool.facilityId });

    const largeCid = cid("large");
    const large = await api("POST", "/api/v1/bookings", {
      raw: JSON.stringify({ ...holdInput(pool), note: "x".repeat(40_000) }),
      headers: { "x-correlation-id": largeCid },
    });
    expect(large.status).toBe(413);
    expect(await rowOf(largeCid)).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE", partnerId: partner.id, requestBody: null });
  });

  it("5xx: an unexpected failure is logged as INTERNAL 500 before it is answered", async () => {
    const broken = partnerRoute({ route: "/api/v1/broken", scope: "bookings:read", rateClass: "read" }, async () => {
      throw new Error("the handler broke");
    });
    const correlationId = cid("internal");
    const response = await broken(
      new Request("http://localhost/api/v1/broken", { headers: { authorization: `Bearer ${partner.apiKey}`, "x-correlation-id": correlationId } }),
    );
    expect(response.status).toBe(500);
    const row = await rowOf(correlationId);
    expect(row).toMatchObject({ status: 500, code: "INTERNAL", partnerId: partner.id, route: "/api/v1/broken" });
    expect(row.responseBody).not.toContain("the handler broke");
  });

  it("an inbound payment webhook is logged too, refused or not", async () => {
    const correlationId = cid("payment");
    const response = await fetch(`${server.url}/api/webhooks/payments`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-correlation-id": correlationId, "webhook-id": "msg_reqlog" },
      body: JSON.stringify({ id: "evt_1", type: "payment.succeeded", data: { booking_reference: "BK-NOPE01" } }),
    });
    expect(response.status).toBe(401);
    expect(await rowOf(correlationId)).toMatchObject({
      source: "payment_webhook",
      partnerId: null,
      route: "/api/webhooks/payments",
      status: 401,
      code: "UNAUTHENTICATED",
      idempotencyKey: "msg_reqlog",
      bookingReferences: ["BK-NOPE01"],
    });
  });
});

describe("secrets never reach a stored body", () => {
  it("a webhook endpoint's signing secret, an access code and an API key sent or returned are redacted", async () => {
    const createCid = cid("endpoint");
    const created = await api("POST", "/api/v1/webhook-endpoints", {
      body: { url: "https://partner.example.com/hooks", event_types: ["booking.confirmed"] },
      headers: { "x-correlation-id": createCid },
    });
    expect(created.status).toBe(201);
    const secret = created.json.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const endpointRow = await rowOf(createCid);
    expect(endpointRow.responseBody).not.toContain(secret);
    expect(JSON.parse(endpointRow.responseBody!)).toMatchObject({ secret: "[redacted]", url: "https://partner.example.com/hooks" });

    const rotateCid = cid("rotate");
    const rotated = await api("POST", `/api/v1/webhook-endpoints/${created.json.id as string}/rotate-secret`, {
      headers: { "x-correlation-id": rotateCid },
    });
    expect(rotated.status).toBe(200);
    expect((await rowOf(rotateCid)).responseBody).not.toContain(rotated.json.secret as string);

    const leakCid = cid("leak");
    const leaked = await api("POST", "/api/v1/bookings", {
      body: { ...holdInput(pool), access_code: "4921-7730", note: `key ${partner.apiKey}` },
      headers: { "x-correlation-id": leakCid },
    });
    expect(leaked.status).toBe(422);
    const leakRow = await rowOf(leakCid);
    expect(leakRow.requestBody).not.toContain("4921-7730");
    expect(leakRow.requestBody).not.toContain(partner.apiKey);
    expect(JSON.parse(leakRow.requestBody!)).toMatchObject({ access_code: "[redacted]" });
  });
});

describe("GET /api/v1/request-logs: a partner's own calls", () => {
  it("lists only the calling partner's calls, newest first, filtered, in keyset pages; another partner's are never listed", async () => {
    const own = await createPartner();
    const other = await createPartner();
    const ownApi = client(server.url, own.apiKey);
    const otherApi = client(server.url, other.apiKey);
    const tag = crypto.randomUUID();
    for (let i = 0; i < 3; i++) await ownApi("GET", "/api/v1/facilities", { headers: { "x-correlation-id": `own-${i}-${tag}` } });
    const held = await ownApi("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: `own-hold-${tag}` });
    const reference = held.json.reference as string;
    const otherKey = `other-hold-${tag}`;
    await otherApi("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: otherKey, headers: { "x-correlation-id": `other-${tag}` } });

    const all = await ownApi("GET", "/api/v1/request-logs?limit=100");
    expect(all.status).toBe(200);
    const entries = all.json.data as { id: string; correlation_id: string; route: string; idempotency_key: string | null }[];
    expect(entries.map((e) => e.correlation_id)).not.toContain(`other-${tag}`);
    expect(entries.map((e) => e.idempotency_key)).not.toContain(otherKey);
    const ids = entries.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);
    expect(entries.filter((e) => e.correlation_id.endsWith(tag)).map((e) => e.correlation_id)).toEqual([`own-2-${tag}`, `own-1-${tag}`, `own-0-${tag}`]);

    // another partner filtering by this partner's idempotency key, correlation id or booking finds nothing
    for (const query of [`idempotency_key=own-hold-${tag}`, `correlation_id=own-0-${tag}`, `booking_reference=${reference}`]) {
      const probe = await otherApi("GET", `/api/v1/request-logs?${query}`);
      expect(probe.status, query).toBe(200);
      expect(probe.json.data, query).toEqual([]);
    }
    const byBooking = await ownApi("GET", `/api/v1/request-logs?booking_reference=${reference}`);
    expect((byBooking.json.data as { status: number; method: string }[]).map((e) => [e.method, e.status])).toEqual([["POST", 201]]);

    // keyset pages: two at a time, no overlap, in order
    const first = await ownApi("GET", "/api/v1/request-logs?route=/api/v1/facilities&limit=2");
    expect(first.json.data).toHaveLength(2);
    const second = await ownApi("GET", `/api/v1/request-logs?route=/api/v1/facilities&limit=2&after=${first.json.next_cursor as string}`);
    const pageIds = [...(first.json.data as { id: string }[]), ...(second.json.data as { id: string }[])].map((e) => e.id);
    expect(new Set(pageIds).size).toBe(pageIds.length);
    expect((second.json.data as { correlation_id: string }[]).map((e) => e.correlation_id)).toContain(`own-0-${tag}`);

    const refused = await ownApi("GET", "/api/v1/request-logs?status_class=4xx");
    expect(refused.status).toBe(200);
    expect((refused.json.data as { status: number }[]).every((e) => e.status >= 400 && e.status < 500)).toBe(true);
  });

  it("the /api-docs example runs as pasted, and so does the one in docs/partner-api.md", async () => {
    const doc = buildOpenApiDocument() as unknown as OpenApiDocument;
    const operation = listOperations(doc)
      .flatMap((g) => g.operations)
      .find((o) => o.method === "get" && o.path === "/api/v1/request-logs")!;
    const fromPage = curlExample(doc, operation, { today: new Date().toISOString().slice(0, 10), newIdempotencyKey: () => "unused" });
    const fromDocs = /```\n(curl "\$HOLDFAST_URL\/api\/v1\/request-logs[^`]*)```/.exec(
      (await import("node:fs")).readFileSync("docs/partner-api.md", "utf8"),
    )![1]!;
    for (const command of [fromPage, fromDocs]) {
      // async: the route server answers from this very process
      const { stdout: out } = await promisify(execFile)("bash", ["-c", `${command.trim()} -s --max-time 20`], {
        env: { ...process.env, HOLDFAST_URL: server.url, HOLDFAST_KEY: partner.apiKey },
        encoding: "utf8",
      });
      expect(JSON.parse(out), command).toMatchObject({ data: expect.any(Array) });
    }
  });

  it("needs logs:read, and refuses a malformed filter with field errors", async () => {
    const noLogs = await createPartner({ scopes: ["inventory:read"] });
    const forbidden = await client(server.url, noLogs.apiKey)("GET", "/api/v1/request-logs");
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toMatchObject({ code: "FORBIDDEN", required_scope: "logs:read" });
    const bad = await api("GET", "/api/v1/request-logs?status=999&after=x");
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ code: "VALIDATION_FAILED" });
  });
});

describe("people reading the request log", () => {
  it("a site manager sees only calls on their facilities, never another facility's; support sees both; customer details hidden when a call named another facility's booking", async () => {
    const otherPool = await createFacilityWithPool({ units: 2 });
    const tag = crypto.randomUUID();
    const here = await api("POST", "/api/v1/bookings", { body: holdInput(pool), idempotencyKey: `here-${tag}`, headers: { "x-correlation-id": `here-${tag}` } });
    const there = await api("POST", "/api/v1/bookings", { body: holdInput(otherPool), idempotencyKey: `there-${tag}`, headers: { "x-correlation-id": `there-${tag}` } });
    expect([here.status, there.status]).toEqual([201, 201]);
    // one call naming both bookings (a list): theirs by its first booking, but the other's customer is not theirs to read
    const listCid = `list-${tag}`;
    await getDb().apiRequestLog.create({
      data: {
        method: "GET",
        route: "/api/v1/bookings",
        status: 200,
        durationMs: 1,
        correlationId: listCid,
        partnerId: partner.id,
        facilityId: pool.facilityId,
        bookingReferences: [here.json.reference as string, there.json.reference as string],
        responseBody: JSON.stringify({ data: [here.json, there.json] }),
      },
    });

    const manager = actorForUser(await sessionUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] }), { correlationId: `m-${tag}` });
    const support = actorForUser(await sessionUser({ role: "SUPPORT" }), { correlationId: `s-${tag}` });
    const seen = async (actor: typeof manager, correlationId: string) =>
      (await listApiRequests({ filter: { correlationId } }, actor)).requests;

    expect(await seen(manager, `here-${tag}`)).toHaveLength(1);
    expect(await seen(manager, `there-${tag}`)).toEqual([]);
    // by the other facility's booking: only the list that is theirs, never the hold that is not
    const byThere = await listApiRequests({ filter: { bookingReference: there.json.reference as string } }, manager);
    expect(byThere.requests.map((r) => r.correlationId)).toEqual([listCid]);
    expect(await seen(support, `there-${tag}`)).toHaveLength(1);
    // a key of the partner limited to this facility reads the calls on it, not the partner's calls on the other
    const limitedKey = partnerActor(partner.id, partner.code, undefined, [pool.facilityId]);
    expect(await seen(limitedKey, `here-${tag}`)).toHaveLength(1);
    expect(await seen(limitedKey, `there-${tag}`)).toEqual([]);
    expect(await seen(partnerActor(partner.id, partner.code), `there-${tag}`)).toHaveLength(1);

    const [managerList] = await seen(manager, listCid);
    expect(managerList!.customerHidden).toBe(true);
    expect(managerList!.responseBody).not.toContain("ada@example.com");
    // the console's procedure reads through the same service, with the same scope
    const managerUser = await sessionUser({ role: "SITE_MANAGER", facilityIds: [pool.facilityId] });
    expect((await callerFor(managerUser).apiLogs.list({ filter: { correlationId: `there-${tag}` } })).requests).toEqual([]);
    const [supportList] = await seen(support, listCid);
    expect(supportList!.customerHidden).toBe(false);
    expect(supportList!.responseBody).toContain("ada@example.com");
  });
});
