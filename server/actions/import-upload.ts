import { IMPORT_MAX_CSV_CHARS } from "../domain/catalogue/imports/create-import";
import { invalidField } from "../domain/shared/validation";

/**
 * The console's import upload (docs/domain.md#catalogue-imports): the file the browser sent,
 * as the input createImport takes — CSV text, or the units of a JSON array. The format
 * follows the file's name, then its content type, then its first character; reading the
 * rows (and refusing a file that has none) is the domain's (import-file.ts). Pure.
 */
export interface UploadedFile {
  name: string;
  type: string;
  size: number;
  text: string;
}

export type ImportFileInput = { csv: string; units?: undefined } | { units: unknown[]; csv?: undefined };

/** The upload's field: refusals of the file as a whole are shown there. */
export const UPLOAD_FIELD = "file";

export function importFormatOf(file: Pick<UploadedFile, "name" | "type" | "text">): "csv" | "json" {
  const name = file.name.toLowerCase();
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".csv")) return "csv";
  if (/[/+]json\b/i.test(file.type)) return "json";
  if (/\bcsv\b/i.test(file.type)) return "csv";
  return /^\uFEFF?\s*[[{]/.test(file.text) ? "json" : "csv";
}

export function importFileInput(file: UploadedFile): ImportFileInput {
  if (file.size > IMPORT_MAX_CSV_CHARS) {
    throw invalidField(UPLOAD_FIELD, `The file is ${formatMiB(file.size)}; an import takes at most ${formatMiB(IMPORT_MAX_CSV_CHARS)}.`);
  }
  // PostgreSQL stores no NUL character; a file with one is not a text file anyway
  if (file.text.includes("\u0000")) throw invalidField(UPLOAD_FIELD, "The file is not a text file (it has NUL characters): upload a CSV or JSON file.");
  if (importFormatOf(file) === "csv") return { csv: file.text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw invalidField(UPLOAD_FIELD, `The file is not readable as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  // an array of units, or an object carrying them as `units` (the partner API's body)
  const units = Array.isArray(parsed) ? parsed : parsed && typeof parsed === "object" && Array.isArray((parsed as { units?: unknown }).units) ? (parsed as { units: unknown[] }).units : null;
  if (!units) throw invalidField(UPLOAD_FIELD, 'A JSON file is an array of units: [{"code": "A-101", "unit_type_code": "5X5", "floor": 1}, …].');
  return { units };
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
