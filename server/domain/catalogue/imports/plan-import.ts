import { getDb } from "../../../db";
import { readImportFile, type ImportFileRow, type ImportRowError } from "./import-file";
import type { ImportRowAction } from "./import-view";

/**
 * The dry run of an import (docs/domain.md#catalogue-imports): its file's rows compared
 * with the facility's units as they are now, each row given what applying it would do —
 *
 * - ADD: no unit has the code; its type exists at the facility;
 * - CHANGE: the unit exists and the row gives it another type (it must be AVAILABLE) or
 *   another floor;
 * - RETIRE: the row says `retired` and the unit is AVAILABLE;
 * - NONE: the unit is already as the row says (a retired unit marked retired included);
 * - ERROR: the row is invalid, names an unknown type, retires a unit that does not exist
 *   or is not AVAILABLE, retypes one that is not AVAILABLE, or reuses a retired unit's code.
 *
 * The rows are stored with the plan's counts in one transaction, which commits only while
 * the runner still holds the import (its token) and it is PLANNING; the import then waits
 * in PLANNED (a dry run) or goes on to APPLYING. A plan cut short by a crash is made again
 * from the start.
 */

export interface PlannedRow {
  line: number;
  unitCode: string | null;
  unitTypeCode: string | null;
  floor: number | null;
  action: ImportRowAction;
  before: { unit_type_code: string; floor: number; status: string } | null;
  error: ImportRowError | null;
}

interface TypeRow {
  id: string;
  code: string;
  previous_codes: string[];
}

interface UnitRow {
  code: string;
  unit_type_id: string;
  unit_type_code: string;
  floor: number;
  status: string;
}

const INSERT_CHUNK = 5_000;

/** Compares the rows with the facility's types and units: pure, given both. */
export function planRows(rows: readonly ImportFileRow[], types: readonly TypeRow[], units: readonly UnitRow[]): PlannedRow[] {
  const typeByCode = new Map<string, TypeRow>();
  for (const type of types) for (const code of [...type.previous_codes, type.code]) typeByCode.set(code, type);
  const unitByCode = new Map(units.map((unit) => [unit.code, unit]));
  return rows.map((row): PlannedRow => {
    const base = { line: row.line, unitCode: row.code, unitTypeCode: row.unitTypeCode, floor: row.floor, before: null, error: null };
    if (row.error || !row.code || !row.unitTypeCode || row.floor === null) return { ...base, action: "ERROR", error: row.error };
    const error = (code: ImportRowError["code"], message: string, field?: string): PlannedRow => ({ ...base, action: "ERROR", error: { code, message, ...(field ? { field } : {}) } });
    const type = typeByCode.get(row.unitTypeCode);
    const unit = unitByCode.get(row.code);
    if (!unit) {
      if (row.retired) return error("NOT_FOUND", `No unit ${row.code} to retire.`, "code");
      if (!type) return error("NOT_FOUND", `Unit type ${row.unitTypeCode} was not found at the facility.`, "unit_type_code");
      return { ...base, unitTypeCode: type.code, action: "ADD" };
    }
    const before = { unit_type_code: unit.unit_type_code, floor: unit.floor, status: unit.status };
    if (unit.status === "RETIRED") {
      return row.retired ? { ...base, before, action: "NONE" } : error("CONFLICT", `Unit ${row.code} is retired; a retired unit's code is not used again.`, "code");
    }
    if (row.retired) {
      return unit.status === "AVAILABLE"
        ? { ...base, before, action: "RETIRE" }
        : error("CONFLICT", `Unit ${row.code} is ${unit.status}; only an AVAILABLE unit can be retired.`, "retired");
    }
    if (!type) return error("NOT_FOUND", `Unit type ${row.unitTypeCode} was not found at the facility.`, "unit_type_code");
    const retype = type.id !== unit.unit_type_id;
    if (retype && unit.status !== "AVAILABLE") {
      return error("CONFLICT", `Unit ${row.code} is ${unit.status}; only an AVAILABLE unit can change type.`, "unit_type_code");
    }
    const planned = { ...base, unitTypeCode: type.code, before };
    return retype || unit.floor !== row.floor ? { ...planned, action: "CHANGE" } : { ...planned, action: "NONE" };
  });
}

/**
 * Plans the import the runner holds (`token`). Returns the status it moved to, or null
 * when it no longer held a PLANNING import (cancelled, or taken over).
 */
export async function planImport(importId: string, token: string): Promise<"PLANNED" | "APPLYING" | "FAILED" | null> {
  const db = getDb();
  const job = await db.catalogueImport.findUniqueOrThrow({ where: { id: importId }, select: { facilityId: true, format: true, content: true, dryRun: true } });
  let fileRows: ImportFileRow[];
  try {
    fileRows = job.format === "json" ? readImportFile({ units: JSON.parse(job.content) as unknown[] }) : readImportFile({ csv: job.content });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const failed = await db.$executeRaw`
      UPDATE catalogue_imports SET status = 'FAILED', error = ${reason.slice(0, 500)}, finished_at = now()
      WHERE id = ${importId} AND status = 'PLANNING' AND runner_token = ${token}::uuid`;
    return failed ? "FAILED" : null;
  }
  const [types, units] = await Promise.all([
    db.$queryRaw<TypeRow[]>`SELECT id::text AS id, code, previous_codes FROM unit_types WHERE facility_id = ${job.facilityId}::uuid`,
    db.$queryRaw<UnitRow[]>`
      SELECT u.code, u.unit_type_id::text AS unit_type_id, t.code AS unit_type_code, u.floor, u.status::text AS status
      FROM units u JOIN unit_types t ON t.id = u.unit_type_id WHERE u.facility_id = ${job.facilityId}::uuid`,
  ]);
  const planned = planRows(fileRows, types, units);
  const count = (action: ImportRowAction) => planned.filter((row) => row.action === action).length;
  const next = job.dryRun ? "PLANNED" : "APPLYING";

  return db.$transaction(
    async (tx) => {
      const held = await tx.$executeRaw`
        UPDATE catalogue_imports
        SET status = ${next}::"ImportStatus", planned_at = now(), heartbeat_at = now(),
            started_at = CASE WHEN ${next} = 'APPLYING' THEN now() ELSE started_at END,
            total_rows = ${planned.length}, to_add = ${count("ADD")}, to_change = ${count("CHANGE")}, to_retire = ${count("RETIRE")},
            unchanged = ${count("NONE")}, error_rows = ${count("ERROR")}
        WHERE id = ${importId} AND status = 'PLANNING' AND runner_token = ${token}::uuid`;
      if (!held) return null;
      await tx.$executeRaw`DELETE FROM catalogue_import_rows WHERE import_id = ${importId}`;
      for (let i = 0; i < planned.length; i += INSERT_CHUNK) {
        const chunk = planned.slice(i, i + INSERT_CHUNK);
        await tx.$executeRaw`
          INSERT INTO catalogue_import_rows (import_id, line, unit_code, unit_type_code, floor, action, status, before, error)
          SELECT ${importId}, r.line, r.unit_code, r.unit_type_code, r.floor, r.action::"ImportRowAction",
                 (CASE WHEN r.action IN ('ADD', 'CHANGE', 'RETIRE') THEN 'PENDING' ELSE 'SKIPPED' END)::"ImportRowStatus",
                 r.before, r.error
          FROM unnest(${chunk.map((r) => r.line)}::int[], ${chunk.map((r) => r.unitCode)}::text[], ${chunk.map((r) => r.unitTypeCode)}::text[],
                      ${chunk.map((r) => r.floor)}::int[], ${chunk.map((r) => r.action)}::text[],
                      ${chunk.map((r) => (r.before ? JSON.stringify(r.before) : null))}::jsonb[], ${chunk.map((r) => (r.error ? JSON.stringify(r.error) : null))}::jsonb[])
            AS r(line, unit_code, unit_type_code, floor, action, before, error)`;
      }
      return next;
    },
    { isolationLevel: "ReadCommitted", timeout: 120_000, maxWait: 10_000 },
  );
}
