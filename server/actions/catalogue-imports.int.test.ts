import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, type TestPool } from "../../test/factories";
import { callerFor, codeOf, sessionUser } from "../../test/trpc-caller";
import type { RequestMeta } from "../auth/request-meta";
import { disconnectDb, getDb } from "../db";
import { runImport } from "../domain/catalogue/imports/run-import";
import type { SessionUser } from "../domain/users/load-session-user";
import { applyImportAction, cancelImportAction, createImportAction } from "./catalogue";

// The console's import screens' transports (docs/domain.md#catalogue-imports): the upload
// action reads a real File (CSV or JSON), a broken file is refused at its field with
// nothing stored, apply and cancel follow the domain; the reads are catalogue.manage's.
afterAll(disconnectDb);

const meta = (): RequestMeta => ({ ip: "10.9.8.7", userAgent: "vitest", correlationId: `cor_imp_action_${crypto.randomUUID()}` });
const importsAt = (facilityId: string) => getDb().catalogueImport.count({ where: { facilityId } });

let pool: TestPool;
let opsLead: SessionUser;
let support: SessionUser;

beforeAll(async () => {
  pool = await createFacilityWithPool({ units: 1 });
  [opsLead, support] = await Promise.all([sessionUser({ role: "OPS_LEAD" }), sessionUser({ role: "SUPPORT" })]);
});

describe("catalogue import actions and reads", () => {
  it("an ops lead uploads a CSV, reads the dry run's diff with the bad row's line, applies it and cannot cancel it once completed", async () => {
    const csv = `code,unit_type_code,floor\nIA-1,${pool.unitTypeCode},1\nIA-2,${pool.unitTypeCode},x\nIA-3,${pool.unitTypeCode},2\n`;
    const file = new File([csv], "units.csv", { type: "text/csv" });
    const created = await createImportAction.withRequest({ user: opsLead, meta: meta() })({ facility_code: pool.facilityCode, file });
    expect(created).toMatchObject({ ok: true, data: { status: "PLANNING", dryRun: true, format: "csv", fileName: "units.csv", plan: { rows: 3 } } });
    if (!created.ok) return;
    expect(await runImport(created.data.id)).toMatchObject({ outcome: "planned" });

    const caller = callerFor(opsLead);
    const detail = await caller.catalogue.imports.get({ import_id: created.data.id });
    expect(detail).toMatchObject({ status: "PLANNED", plan: { add: 2, errors: 1 } });
    expect(detail.rows.map((r) => [r.line, r.unitCode, r.error?.field])).toEqual([[3, "IA-2", "floor"]]);
    const changes = await caller.catalogue.imports.get({ import_id: created.data.id, rows: "changes", limit: 1 });
    expect(changes.rows.map((r) => r.line)).toEqual([2]);
    expect(changes.nextAfterLine).toBe(2);
    expect((await caller.catalogue.imports.list({ facility_code: pool.facilityCode })).map((i) => i.id)).toEqual([created.data.id]);

    expect(await applyImportAction.withRequest({ user: opsLead, meta: meta() })({ import_id: created.data.id })).toMatchObject({ ok: true, data: { status: "APPLYING", changed: true } });
    expect(await runImport(created.data.id)).toMatchObject({ outcome: "completed" });
    expect(await getDb().unit.findMany({ where: { facilityId: pool.facilityId, code: { startsWith: "IA-" } }, select: { code: true, floor: true }, orderBy: { code: "asc" } })).toEqual([
      { code: "IA-1", floor: 1 },
      { code: "IA-3", floor: 2 },
    ]);
    const cancel = await cancelImportAction.withRequest({ user: opsLead, meta: meta() })({ import_id: created.data.id });
    expect(cancel).toMatchObject({ ok: false, code: "CONFLICT", context: { current_status: "completed" } });
  });

  it("reads a JSON file by its name, and cancels a planned import", async () => {
    const file = new File([JSON.stringify([{ code: "IJ-1", unit_type_code: pool.unitTypeCode }])], "units.json");
    const created = await createImportAction.withRequest({ user: opsLead, meta: meta() })({ facility_code: pool.facilityCode, file });
    expect(created).toMatchObject({ ok: true, data: { format: "json", plan: { rows: 1 } } });
    if (!created.ok) return;
    const cancelled = await cancelImportAction.withRequest({ user: opsLead, meta: meta() })({ import_id: created.data.id });
    expect(cancelled).toMatchObject({ ok: true, data: { status: "CANCELLED", changed: true } });
    expect(await runImport(created.data.id)).toMatchObject({ outcome: "already_ended" });
    expect(await getDb().unit.count({ where: { facilityId: pool.facilityId, code: "IJ-1" } })).toBe(0);
  });

  it("refuses a broken file at its field, and stores nothing", async () => {
    const before = await importsAt(pool.facilityId);
    const upload = createImportAction.withRequest({ user: opsLead, meta: meta() });
    const csv = await upload({ facility_code: pool.facilityCode, file: new File(["code,size\nA,1\n"], "bad.csv") });
    expect(csv).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { csv: [expect.stringMatching(/^Unknown column size/)] } });
    const json = await upload({ facility_code: pool.facilityCode, file: new File(["[{"], "bad.json") });
    expect(json).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { file: [expect.stringMatching(/^The file is not readable as JSON/)] } });
    const none = await upload({ facility_code: pool.facilityCode, file: "code,unit_type_code\n" });
    expect(none).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { file: ["Choose a CSV or JSON file."] } });
    expect(await importsAt(pool.facilityId)).toBe(before);
  });

  it("a support user may neither upload nor read imports", async () => {
    const before = await importsAt(pool.facilityId);
    const refused = await createImportAction.withRequest({ user: support, meta: meta() })({
      facility_code: pool.facilityCode,
      file: new File([`code,unit_type_code\nIS-1,${pool.unitTypeCode}\n`], "units.csv"),
    });
    expect(refused).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect(await importsAt(pool.facilityId)).toBe(before);
    expect(await codeOf(callerFor(support).catalogue.imports.list({ facility_code: pool.facilityCode }))).toBe("FORBIDDEN");
  });
});
