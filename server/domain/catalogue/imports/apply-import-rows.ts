import { getDb } from "../../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { addUnits, type NewUnit } from "../add-units";
import { changeUnitFloor } from "../change-unit-floor";
import { retireUnit } from "../retire-unit";
import { retypeUnit } from "../retype-unit";
import type { ImportRowError } from "./import-file";

/**
 * Applying an import's rows (docs/domain.md#catalogue-imports), for its runner
 * (run-import.ts). Each transaction starts by taking the import's row — only while it is
 * APPLYING and the runner's token is still its own — so a cancel, or a runner that took
 * over, is seen before anything is applied, and commits with the rows it marks.
 */

export interface PendingRow {
  line: number;
  unit_code: string;
  unit_type_code: string;
  floor: number;
  action: "ADD" | "CHANGE" | "RETIRE";
  before: { unit_type_code: string; floor: number; status: string } | null;
}

export interface ApplyContext {
  importId: string;
  token: string;
  actor: Actor;
  facility: { id: string; code: string };
}

const TX = { isolationLevel: "ReadCommitted" as const, timeout: 60_000, maxWait: 10_000 };

/** Takes the import's row for this transaction; false when it is no longer the runner's to apply. */
async function holdImport(tx: Tx, ctx: ApplyContext): Promise<boolean> {
  const held = await tx.$executeRaw`
    UPDATE catalogue_imports SET heartbeat_at = now()
    WHERE id = ${ctx.importId} AND status = 'APPLYING' AND runner_token = ${ctx.token}::uuid`;
  return held === 1;
}

async function markRows(tx: Tx, ctx: ApplyContext, rows: { line: number; status: "APPLIED" | "FAILED"; error: ImportRowError | null }[]): Promise<void> {
  if (!rows.length) return;
  await tx.$executeRaw`
    UPDATE catalogue_import_rows r SET status = v.status::"ImportRowStatus", error = v.error
    FROM unnest(${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => (r.error ? JSON.stringify(r.error) : null))}::jsonb[]) AS v(line, status, error)
    WHERE r.import_id = ${ctx.importId} AND r.line = v.line`;
}

async function count(tx: Tx, ctx: ApplyContext, done: { processed: number; added?: number; changed?: number; retired?: number; failed?: number }): Promise<void> {
  await tx.$executeRaw`
    UPDATE catalogue_imports
    SET processed = processed + ${done.processed}, added = added + ${done.added ?? 0}, changed = changed + ${done.changed ?? 0},
        retired = retired + ${done.retired ?? 0}, failed = failed + ${done.failed ?? 0}
    WHERE id = ${ctx.importId}`;
}

function rowError(error: unknown): ImportRowError {
  if (error instanceof DomainError && (error.code === "NOT_FOUND" || error.code === "CONFLICT" || error.code === "VALIDATION_FAILED")) {
    return { code: error.code, message: error.message };
  }
  return { code: "CONFLICT", message: "The row could not be applied; nothing of it was. Import it again to retry." };
}

/**
 * New units of a batch, in one transaction (addUnits). A code taken meanwhile, or a type
 * gone, fails that row alone. If the transaction fails as a whole, the rows are applied
 * again one at a time, so one bad row fails only itself. Returns false when the import is
 * no longer the runner's.
 */
export async function applyAdds(ctx: ApplyContext, rows: readonly PendingRow[]): Promise<boolean> {
  try {
    return await getDb().$transaction(async (tx) => {
      if (!(await holdImport(tx, ctx))) return false;
      const codes = [...new Set(rows.map((row) => row.unit_type_code))];
      const types = await tx.$queryRaw<{ id: string; code: string; previous_codes: string[]; pool_id: string }[]>`
        SELECT t.id::text AS id, t.code, t.previous_codes, p.id::text AS pool_id
        FROM unit_types t JOIN inventory_pools p ON p.unit_type_id = t.id
        WHERE t.facility_id = ${ctx.facility.id}::uuid AND (t.code = ANY(${codes}::text[]) OR t.previous_codes && ${codes}::text[])`;
      const typeByCode = new Map<string, NewUnit["unitType"]>();
      for (const t of types) for (const code of [...t.previous_codes, t.code]) typeByCode.set(code, { id: t.id, code: t.code, poolId: t.pool_id });
      const lineByCode = new Map(rows.map((row) => [row.unit_code, row.line]));
      const units: NewUnit[] = [];
      const failed: { line: number; status: "FAILED"; error: ImportRowError }[] = [];
      for (const row of rows) {
        const unitType = typeByCode.get(row.unit_type_code);
        if (unitType) units.push({ code: row.unit_code, floor: row.floor, unitType });
        else failed.push({ line: row.line, status: "FAILED", error: { code: "NOT_FOUND", message: `Unit type ${row.unit_type_code} was not found at ${ctx.facility.code}.`, field: "unit_type_code" } });
      }
      const { added, taken } = await addUnits(tx, ctx.actor, ctx.facility, units, { auditFor: (unit) => ({ import_id: ctx.importId, line: lineByCode.get(unit.code) }) });
      for (const code of taken) {
        failed.push({ line: lineByCode.get(code)!, status: "FAILED", error: { code: "CONFLICT", message: `Unit code ${code} is taken.`, field: "code" } });
      }
      await markRows(tx, ctx, [...added.map((unit) => ({ line: lineByCode.get(unit.code)!, status: "APPLIED" as const, error: null })), ...failed]);
      await count(tx, ctx, { processed: rows.length, added: added.length, failed: failed.length });
      return true;
    }, TX);
  } catch (error) {
    if (rows.length === 1) return markFailed(ctx, rows[0]!, error);
    for (const row of rows) if (!(await applyAdds(ctx, [row]))) return false;
    return true;
  }
}

/**
 * A change (type, then floor) or a retire, in one transaction through the catalogue's own
 * services (retypeUnit, changeUnitFloor, retireUnit), which refuse as they always do (a
 * booking or a block on the unit); a refusal fails the row, changing nothing.
 */
export async function applyOne(ctx: ApplyContext, row: PendingRow): Promise<boolean> {
  try {
    return await getDb().$transaction(async (tx) => {
      if (!(await holdImport(tx, ctx))) return false;
      const unit = { facility_code: ctx.facility.code, unit_code: row.unit_code };
      if (row.action === "RETIRE") {
        await retireUnit({ ...unit, reason: `Retired by import ${ctx.importId} (line ${row.line}).` }, ctx.actor, { tx });
      } else {
        await retypeUnit({ ...unit, unit_type_code: row.unit_type_code }, ctx.actor, { tx });
        await changeUnitFloor({ ...unit, floor: row.floor }, ctx.actor, { tx });
      }
      await markRows(tx, ctx, [{ line: row.line, status: "APPLIED", error: null }]);
      await count(tx, ctx, row.action === "RETIRE" ? { processed: 1, retired: 1 } : { processed: 1, changed: 1 });
      return true;
    }, TX);
  } catch (error) {
    return markFailed(ctx, row, error);
  }
}

async function markFailed(ctx: ApplyContext, row: PendingRow, error: unknown): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    if (!(await holdImport(tx, ctx))) return false;
    await markRows(tx, ctx, [{ line: row.line, status: "FAILED", error: rowError(error) }]);
    await count(tx, ctx, { processed: 1, failed: 1 });
    return true;
  }, TX);
}
