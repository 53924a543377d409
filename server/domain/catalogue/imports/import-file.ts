import { parse } from "csv-parse/sync";
import { z } from "zod";
import { DomainError } from "@/server/domain/shared/errors";
import { CatalogueCode } from "../catalogue-codes";

/**
 * Reading a catalogue import's file (docs/domain.md#catalogue-imports). Pure: the same
 * reading refuses a broken file when the import is asked for, and gives the rows when the
 * worker plans it.
 *
 * A CSV file has a header line naming its columns — `code` and `unit_type_code`, and
 * optionally `floor` (default 0) and `retired` (yes/no, true/false, 1/0; default no) — in
 * any order; a row's line is its line in the file, the header being line 1. JSON is an
 * array of objects with the same fields (`floor` a number, `retired` a boolean); a row's
 * line is its position in the array, from 1.
 *
 * What makes the whole file unreadable (no header, an unknown column, not CSV, too many
 * rows) is refused; what is wrong with one row is that row's error, and the rest stand.
 */

export const IMPORT_MAX_ROWS = 100_000;
export const IMPORT_COLUMNS = ["code", "unit_type_code", "floor", "retired"] as const;
const REQUIRED_COLUMNS = ["code", "unit_type_code"] as const;

export interface ImportRowError {
  code: "VALIDATION_FAILED" | "NOT_FOUND" | "CONFLICT";
  message: string;
  /** the column at fault, when one is */
  field?: string;
}

export interface ImportFileRow {
  line: number;
  code: string | null;
  unitTypeCode: string | null;
  floor: number | null;
  retired: boolean;
  error: ImportRowError | null;
}

const YES = new Set(["yes", "y", "true", "1"]);
const NO = new Set(["", "no", "n", "false", "0"]);

const RowSchema = z
  .object({
    code: CatalogueCode,
    unit_type_code: z.string().trim().min(1).max(32),
    floor: z.number().int().min(-10).max(200).default(0),
    retired: z.boolean().default(false),
  })
  .strict();

/** Reads the file into rows, each valid or carrying its error; refuses a file that cannot be read at all. */
export function readImportFile(file: { csv?: string; units?: readonly unknown[] }): ImportFileRow[] {
  const rows = file.csv !== undefined ? readCsv(file.csv) : readJson(file.units ?? []);
  if (!rows.length) throw fileError(file.csv !== undefined ? "csv" : "units", "The file has no rows.");
  if (rows.length > IMPORT_MAX_ROWS) {
    throw fileError(file.csv !== undefined ? "csv" : "units", `The file has ${rows.length} rows; an import takes at most ${IMPORT_MAX_ROWS}.`);
  }
  return markDuplicates(rows);
}

function readCsv(text: string): ImportFileRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as never;
  } catch (error) {
    throw fileError("csv", `The file is not readable as CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...body] = records;
  if (!header) throw fileError("csv", "The file is empty: it needs a header line (code,unit_type_code,floor,retired) and rows.");
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !(IMPORT_COLUMNS as readonly string[]).includes(name));
  if (unknown.length) throw fileError("csv", `Unknown column${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}: the columns are ${IMPORT_COLUMNS.join(", ")}.`);
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length) throw fileError("csv", `The header lacks ${missing.join(" and ")} (the first line names the columns: ${IMPORT_COLUMNS.join(", ")}).`);
  const repeated = columns.filter((name, i) => columns.indexOf(name) !== i);
  if (repeated.length) throw fileError("csv", `Column ${repeated[0]} appears twice in the header.`);

  return body.map(({ record, info }) => {
    const line = info.lines;
    if (record.length !== columns.length) {
      return invalid(line, record[columns.indexOf("code")] ?? null, { code: "VALIDATION_FAILED", message: `The row has ${record.length} fields; the header names ${columns.length}.` });
    }
    const value = (name: string) => (columns.includes(name) ? record[columns.indexOf(name)]! : undefined);
    const floorText = value("floor");
    const retiredText = value("retired")?.toLowerCase();
    if (floorText !== undefined && floorText !== "" && !/^-?\d+$/.test(floorText)) {
      return invalid(line, value("code") ?? null, { code: "VALIDATION_FAILED", message: "floor must be a whole number", field: "floor" });
    }
    if (retiredText !== undefined && !YES.has(retiredText) && !NO.has(retiredText)) {
      return invalid(line, value("code") ?? null, { code: "VALIDATION_FAILED", message: "retired must be yes or no", field: "retired" });
    }
    return checkRow(line, {
      code: value("code"),
      unit_type_code: value("unit_type_code"),
      ...(floorText ? { floor: Number(floorText) } : {}),
      ...(retiredText !== undefined ? { retired: YES.has(retiredText) } : {}),
    });
  });
}

function readJson(units: readonly unknown[]): ImportFileRow[] {
  return units.map((item, i) => checkRow(i + 1, item));
}

function checkRow(line: number, raw: unknown): ImportFileRow {
  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join(".") : issue.code === "unrecognized_keys" ? issue.keys.join(", ") : undefined;
    const message = issue.code === "unrecognized_keys" ? `unknown field ${issue.keys.join(", ")}` : issue.message;
    const code = raw && typeof raw === "object" && typeof (raw as { code?: unknown }).code === "string" ? ((raw as { code: string }).code.slice(0, 32) || null) : null;
    return invalid(line, code, { code: "VALIDATION_FAILED", message: field && issue.code !== "unrecognized_keys" ? `${field}: ${message}` : message, ...(field ? { field } : {}) });
  }
  const row = parsed.data;
  return { line, code: row.code, unitTypeCode: row.unit_type_code, floor: row.floor, retired: row.retired, error: null };
}

function invalid(line: number, code: string | null, error: ImportRowError): ImportFileRow {
  return { line, code: code?.trim().slice(0, 32) || null, unitTypeCode: null, floor: null, retired: false, error };
}

/** A code a second time in the file: the later rows are errors naming the first. */
function markDuplicates(rows: ImportFileRow[]): ImportFileRow[] {
  const first = new Map<string, number>();
  return rows.map((row) => {
    if (row.error || !row.code) return row;
    const key = row.code;
    const seen = first.get(key);
    if (seen === undefined) {
      first.set(key, row.line);
      return row;
    }
    return { ...row, error: { code: "VALIDATION_FAILED", message: `Unit ${row.code} appears again (first on line ${seen}).`, field: "code" } };
  });
}

function fileError(field: "csv" | "units", message: string): DomainError {
  return new DomainError("VALIDATION_FAILED", message, { field }, [{ path: field, message }]);
}
