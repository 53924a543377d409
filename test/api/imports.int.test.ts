import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configure } from "../../server/config";
import { getDb } from "../../server/db";
import { runImport } from "../../server/domain/catalogue/imports/run-import";
import { closeRateLimitPool } from "../../server/domain/rate-limits/consume";
import { hashApiKey } from "../../server/domain/shared/secrets";
import { installWorkerSchema } from "../../server/worker/worker-schema";
import { ALL_SCOPES, createFacilityWithPool, createPartner, poolInvariantViolations, useOwnDatabase, type TestPartner, type TestPool } from "../factories";
import { startRouteServer, type RouteServer } from "../route-server";
import { client } from "./helpers";

/**
 * Catalogue imports over real HTTP (docs/partner-api.md#catalogue-imports): the partner
 * API's four operations, driven without a worker — `runImport` does what the worker's job
 * does, when the test says so. A database of this file's own, so no other file's worker
 * plans these imports behind the test's back.
 */

let dropDatabase: () => Promise<void>;
let undoConfig: () => void;
let server: RouteServer;
let pool: TestPool;
let partner: TestPartner;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  dropDatabase = await useOwnDatabase("imports_api");
  await installWorkerSchema(process.env.DATABASE_URL!);
  // The bulk class's own limit is the subject of one test; the others must not meet it.
  undoConfig = configure({ RATE_LIMIT_BULK_PER_MINUTE: "1000" });
  server = await startRouteServer();
  pool = await createFacilityWithPool({ units: 5 });
  partner = await createPartner();
  api = client(server.url, partner.apiKey);
});

afterAll(async () => {
  await server?.close();
  await closeRateLimitPool();
  undoConfig?.();
  await dropDatabase?.();
});

const db = () => getDb();

/** A CSV file: the header, then one line per row (the header is line 1). */
const csv = (...rows: string[]) => ["code,unit_type_code,floor,retired", ...rows].join("\n") + "\n";

/** What a refused upload must leave untouched: the partner's imports, their audit entries and the worker's jobs. */
async function importState(partnerId: string) {
  const imports = await db().catalogueImport.count({ where: { partnerId } });
  const audits = await db().auditEntry.count({ where: { action: "catalogue.import", actorId: partnerId, result: "SUCCESS" } });
  const [jobs] = await db().$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'catalogue_import'`;
  return { imports, audits, jobs: Number(jobs!.n) };
}

describe("partner API: catalogue imports", () => {
  it("accepts a dry run (202), plans it with row errors by line, applies it, and the pool moves", async () => {
    const before = await db().inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } });
    const file = csv(
      `N-1,${pool.unitTypeCode},1,`, // line 2: add
      `N-2,${pool.unitTypeCode},1,no`, // line 3: add
      `A-100,${pool.unitTypeCode},3,`, // line 4: change (floor 0 → 3)
      `A-101,${pool.unitTypeCode},0,yes`, // line 5: retire
      `N-3,NOPE,1,`, // line 6: unknown unit type
      `N-4,${pool.unitTypeCode},first,`, // line 7: floor not a number
      `A-102,${pool.unitTypeCode},0,`, // line 8: unchanged
    );
    const created = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: file, file_name: "units.csv" } });
    expect(created.status, created.text).toBe(202);
    const id = created.json.id as string;
    expect(id).toMatch(/^imp_[0-9a-z]{26}$/);
    expect(created.headers.get("location")).toBe(`/api/v1/imports/${id}`);
    expect(created.json).toMatchObject({
      facility_code: pool.facilityCode,
      status: "planning",
      dry_run: true,
      format: "csv",
      file_name: "units.csv",
      plan: { rows: 7, add: 0, change: 0, retire: 0, unchanged: 0, errors: 0 },
      planned_at: null,
    });

    const planning = await api("GET", `/api/v1/imports/${id}`);
    expect(planning.status).toBe(200);
    expect(planning.json).toMatchObject({ id, status: "planning", rows: [], next_after_line: null });

    expect(await runImport(id)).toMatchObject({ outcome: "planned" });
    const planned = await api("GET", `/api/v1/imports/${id}`);
    expect(planned.json).toMatchObject({
      status: "planned",
      plan: { rows: 7, add: 2, change: 1, retire: 1, unchanged: 1, errors: 2 },
      progress: { to_apply: 4, processed: 0, percent: 0 },
      next_after_line: null,
    });
    expect(planned.json.planned_at).toEqual(expect.any(String));
    // rows=errors (the default): the two bad rows, by their line in the file
    expect(planned.json.rows).toEqual([
      {
        line: 6,
        unit_code: "N-3",
        unit_type_code: "NOPE",
        floor: 1,
        action: "error",
        status: "skipped",
        before: null,
        error: { code: "NOT_FOUND", message: expect.stringContaining("NOPE"), field: "unit_type_code" },
      },
      {
        line: 7,
        unit_code: "N-4",
        unit_type_code: null,
        floor: null,
        action: "error",
        status: "skipped",
        before: null,
        error: { code: "VALIDATION_FAILED", message: "floor must be a whole number", field: "floor" },
      },
    ]);
    const changes = await api("GET", `/api/v1/imports/${id}?rows=changes`);
    expect((changes.json.rows as { line: number; unit_code: string; action: string; status: string }[]).map((r) => [r.line, r.unit_code, r.action, r.status])).toEqual([
      [2, "N-1", "add", "pending"],
      [3, "N-2", "add", "pending"],
      [4, "A-100", "change", "pending"],
      [5, "A-101", "retire", "pending"],
    ]);
    expect((changes.json.rows as { before: unknown }[])[2]!.before).toEqual({ unit_type_code: pool.unitTypeCode, floor: 0, status: "AVAILABLE" });
    // a page at a time
    const first = await api("GET", `/api/v1/imports/${id}?rows=changes&limit=3`);
    expect((first.json.rows as { line: number }[]).map((r) => r.line)).toEqual([2, 3, 4]);
    expect(first.json.next_after_line).toBe(4);
    const second = await api("GET", `/api/v1/imports/${id}?rows=changes&limit=3&after_line=4`);
    expect((second.json.rows as { line: number }[]).map((r) => r.line)).toEqual([5]);
    expect(second.json.next_after_line).toBeNull();
    const none = await api("GET", `/api/v1/imports/${id}?rows=none`);
    expect(none.json.rows).toEqual([]);
    // the dry run changed nothing
    expect(await db().unit.count({ where: { facilityId: pool.facilityId, code: { in: ["N-1", "N-2"] } } })).toBe(0);

    const applied = await api("POST", `/api/v1/imports/${id}/apply`);
    expect(applied.status, applied.text).toBe(202);
    expect(applied.json).toMatchObject({ id, status: "applying" });
    expect(await runImport(id)).toMatchObject({ outcome: "completed", processed: 4 });
    const done = await api("GET", `/api/v1/imports/${id}?rows=changes`);
    expect(done.json).toMatchObject({
      status: "completed",
      progress: { to_apply: 4, processed: 4, added: 2, changed: 1, retired: 1, failed: 0, percent: 100 },
    });
    expect(done.json.finished_at).toEqual(expect.any(String));
    expect((done.json.rows as { status: string }[]).map((r) => r.status)).toEqual(["applied", "applied", "applied", "applied"]);

    const units = await db().unit.findMany({
      where: { facilityId: pool.facilityId, code: { in: ["N-1", "N-2", "A-100", "A-101", "N-3", "N-4"] } },
      select: { code: true, floor: true, status: true },
      orderBy: { code: "asc" },
    });
    expect(units).toEqual([
      { code: "A-100", floor: 3, status: "AVAILABLE" },
      { code: "A-101", floor: 0, status: "RETIRED" },
      { code: "N-1", floor: 1, status: "AVAILABLE" },
      { code: "N-2", floor: 1, status: "AVAILABLE" },
    ]);
    const after = await db().inventoryPool.findUniqueOrThrow({ where: { id: pool.poolId } });
    expect({ total: after.total, available: after.available }).toEqual({ total: before.total + 1, available: before.available + 1 });
    expect(after.inventoryVersion).toBeGreaterThan(before.inventoryVersion);
    expect(await poolInvariantViolations(pool.poolId)).toEqual([]);

    // applying again is a no-op answer with its state
    const again = await api("POST", `/api/v1/imports/${id}/apply`);
    expect(again.status).toBe(202);
    expect(again.json).toMatchObject({ id, status: "completed" });
    // and a completed import cannot be cancelled
    const late = await api("POST", `/api/v1/imports/${id}/cancel`);
    expect(late.status).toBe(409);
    expect(late.json).toMatchObject({ code: "CONFLICT", current_status: "completed" });
  });

  it("takes JSON units, and applies at once when dry_run is false", async () => {
    const created = await api("POST", "/api/v1/imports", {
      body: { facility_code: pool.facilityCode, units: [{ code: "J-1", unit_type_code: pool.unitTypeCode, floor: 2 }, { code: "J-2" }], dry_run: false },
    });
    expect(created.status, created.text).toBe(202);
    expect(created.json).toMatchObject({ format: "json", dry_run: false, status: "planning", file_name: null });
    const id = created.json.id as string;
    expect(await runImport(id)).toMatchObject({ outcome: "completed" });
    const done = await api("GET", `/api/v1/imports/${id}`);
    expect(done.json).toMatchObject({ status: "completed", plan: { rows: 2, add: 1, errors: 1 }, progress: { added: 1 } });
    // a JSON row's line is its position in units, from 1
    expect(done.json.rows).toEqual([expect.objectContaining({ line: 2, unit_code: "J-2", action: "error", error: expect.objectContaining({ code: "VALIDATION_FAILED", field: "unit_type_code" }) })]);
    expect(await db().unit.findFirst({ where: { facilityId: pool.facilityId, code: "J-1" }, select: { floor: true } })).toEqual({ floor: 2 });
  });

  it("cancels an import before it is applied; apply after that is a conflict", async () => {
    const created = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: csv(`K-1,${pool.unitTypeCode},1,`) } });
    const id = created.json.id as string;
    // still planning: apply is refused until the diff is ready
    const early = await api("POST", `/api/v1/imports/${id}/apply`);
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ code: "CONFLICT", current_status: "planning" });

    const cancelled = await api("POST", `/api/v1/imports/${id}/cancel`);
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json).toMatchObject({ id, status: "cancelled" });
    expect(cancelled.json.cancelled_at).toEqual(expect.any(String));
    const twice = await api("POST", `/api/v1/imports/${id}/cancel`);
    expect(twice.status).toBe(200);
    expect(twice.json).toMatchObject({ status: "cancelled", cancelled_at: cancelled.json.cancelled_at });

    expect(await runImport(id)).toMatchObject({ outcome: "already_ended" });
    const apply = await api("POST", `/api/v1/imports/${id}/apply`);
    expect(apply.status).toBe(409);
    expect(apply.json).toMatchObject({ code: "CONFLICT", current_status: "cancelled" });
    expect(await db().unit.count({ where: { facilityId: pool.facilityId, code: "K-1" } })).toBe(0);
  });

  it("replays a POST with the same Idempotency-Key: the same import, stored once", async () => {
    const body = { facility_code: pool.facilityCode, csv: csv(`R-1,${pool.unitTypeCode},1,`) };
    const key = `imp-${crypto.randomUUID()}`;
    const first = await api("POST", "/api/v1/imports", { body, idempotencyKey: key });
    const replay = await api("POST", "/api/v1/imports", { body, idempotencyKey: key });
    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.json.id).toBe(first.json.id);
    expect(replay.headers.get("location")).toBe(`/api/v1/imports/${String(first.json.id)}`);
    expect(await db().catalogueImport.count({ where: { partnerId: partner.id, content: body.csv } })).toBe(1);
    // the same key for another file is refused
    const reused = await api("POST", "/api/v1/imports", { body: { ...body, dry_run: false }, idempotencyKey: key });
    expect(reused.status).toBe(422);
    expect(reused.json.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("refuses a file that cannot be read (422) and stores nothing", async () => {
    const before = await importState(partner.id);
    const unknown = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: "code,unit_type_code,colour\nX-1,10X10,red\n" } });
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({ code: "VALIDATION_FAILED", errors: [{ path: "csv", message: expect.stringContaining("Unknown column colour") }] });
    const both = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: csv("X-1,10X10,1,"), units: [] } });
    expect(both.status).toBe(422);
    expect(both.json).toMatchObject({ code: "VALIDATION_FAILED", errors: [expect.objectContaining({ path: "csv" })] });
    const empty = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: "code,unit_type_code\n" } });
    expect(empty.status).toBe(422);
    expect(await importState(partner.id)).toEqual(before);
  });

  it("takes a file far larger than other bodies, and refuses one above 8 MiB (413)", async () => {
    // 40,000 rows, about 700 KB: one string well past the 8,192 characters other fields may have
    const rows = Array.from({ length: 40_000 }, (_, i) => `B-${String(i).padStart(6, "0")},${pool.unitTypeCode}`);
    const big = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: `code,unit_type_code\n${rows.join("\n")}\n` } });
    expect(big.status, big.text.slice(0, 300)).toBe(202);
    expect(big.json).toMatchObject({ plan: { rows: 40_000 } });
    await api("POST", `/api/v1/imports/${String(big.json.id)}/cancel`);

    const before = await importState(partner.id);
    const tooBig = await api("POST", "/api/v1/imports", { raw: JSON.stringify({ facility_code: pool.facilityCode, csv: "x".repeat(8 * 1024 * 1024) }) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json).toMatchObject({ code: "PAYLOAD_TOO_LARGE", max_bytes: 8 * 1024 * 1024 });
    // other routes keep their 32 KiB
    const snapshot = await api("POST", "/api/v1/availability-snapshots", { raw: JSON.stringify({ facility_code: "x".repeat(40 * 1024) }) });
    expect(snapshot.status).toBe(413);
    expect(await importState(partner.id)).toEqual(before);
  });

  it("is 403 without the catalogue:write scope, and stores nothing", async () => {
    const reader = await createPartner({ scopes: ALL_SCOPES.filter((s) => s !== "catalogue:write") });
    const call = client(server.url, reader.apiKey);
    const refused = await call("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: csv(`S-1,${pool.unitTypeCode},1,`) } });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: "FORBIDDEN", required_scope: "catalogue:write" });
    expect(await importState(reader.id)).toMatchObject({ imports: 0, audits: 0 });
    const mine = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: csv(`S-2,${pool.unitTypeCode},1,`) } });
    for (const [method, path] of [
      ["GET", `/api/v1/imports/${String(mine.json.id)}`],
      ["POST", `/api/v1/imports/${String(mine.json.id)}/apply`],
      ["POST", `/api/v1/imports/${String(mine.json.id)}/cancel`],
    ] as const) {
      expect((await call(method, path)).status, `${method} ${path}`).toBe(403);
    }
    expect((await db().catalogueImport.findUniqueOrThrow({ where: { id: String(mine.json.id) } })).status).toBe("PLANNING");
  });

  it("keeps a partner to its own imports, and a key to its facilities (404)", async () => {
    const mine = await api("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: csv(`T-1,${pool.unitTypeCode},1,`) } });
    const id = String(mine.json.id);
    const other = await createPartner();
    const stranger = client(server.url, other.apiKey);
    for (const [method, path] of [
      ["GET", `/api/v1/imports/${id}`],
      ["POST", `/api/v1/imports/${id}/apply`],
      ["POST", `/api/v1/imports/${id}/cancel`],
    ] as const) {
      const answer = await stranger(method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.json.code).toBe("NOT_FOUND");
    }
    // an id that does not exist answers the same
    expect((await api("GET", "/api/v1/imports/imp_00000000000000000000000000")).status).toBe(404);
    // a malformed id is a validation failure on the path
    const malformed = await api("GET", "/api/v1/imports/not-an-id");
    expect(malformed.status).toBe(422);
    expect(malformed.json.errors).toEqual([expect.objectContaining({ path: "path.import_id" })]);

    // a key limited to another facility: it may not upload to this one, nor see its imports
    const elsewhere = await createFacilityWithPool({ units: 1 });
    const limitedKey = `hf_test_${crypto.randomBytes(16).toString("hex")}`;
    await db().apiKey.create({
      data: { partnerId: partner.id, name: "limited", prefix: limitedKey.slice(0, 12), keyHash: hashApiKey(limitedKey), scopes: ALL_SCOPES, facilityIds: [elsewhere.facilityId] },
    });
    const limited = client(server.url, limitedKey);
    const before = await importState(partner.id);
    const outside = await limited("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: csv(`U-1,${pool.unitTypeCode},1,`) } });
    expect(outside.status).toBe(404);
    expect(outside.json.code).toBe("NOT_FOUND");
    expect(await importState(partner.id)).toEqual(before);
    expect((await limited("GET", `/api/v1/imports/${id}`)).status).toBe(404);
    expect((await limited("POST", `/api/v1/imports/${id}/cancel`)).status).toBe(404);
    // its own facility it may
    const inside = await limited("POST", "/api/v1/imports", { body: { facility_code: elsewhere.facilityCode, csv: csv(`U-2,${elsewhere.unitTypeCode},1,`) } });
    expect(inside.status, inside.text).toBe(202);
    expect((await limited("GET", `/api/v1/imports/${String(inside.json.id)}`)).status).toBe(200);
    expect((await db().catalogueImport.findUniqueOrThrow({ where: { id } })).status).toBe("PLANNING");
  });

  it("counts uploads in the bulk class, apart from the key's writes (RATE_LIMIT_BULK_PER_MINUTE)", async () => {
    const undo = configure({ RATE_LIMIT_BULK_PER_MINUTE: "2" });
    try {
      const bulk = await createPartner();
      const call = client(server.url, bulk.apiKey);
      const upload = (n: number) => call("POST", "/api/v1/imports", { body: { facility_code: pool.facilityCode, csv: csv(`Q-${n},${pool.unitTypeCode},1,`) } });
      const first = await upload(1);
      expect(first.status).toBe(202);
      expect(first.headers.get("ratelimit-limit")).toBe("2");
      expect((await upload(2)).status).toBe(202);
      const third = await upload(3);
      expect(third.status).toBe(429);
      expect(third.json.code).toBe("RATE_LIMITED");
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      // the write class is its own bucket
      const cancel = await call("POST", `/api/v1/imports/${String(first.json.id)}/cancel`);
      expect(cancel.status).toBe(200);
      expect(cancel.headers.get("ratelimit-limit")).not.toBe("2");
      expect(await db().catalogueImport.count({ where: { partnerId: bulk.id } })).toBe(2);
    } finally {
      undo();
    }
  });
});
