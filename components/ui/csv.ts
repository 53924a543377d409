/** CSV as spreadsheets read it (RFC 4180), safe to open: cells that a spreadsheet would run as a formula are quoted with a leading apostrophe. */

export interface CsvColumn<T> {
  header: string;
  value: (row: T) => string | number | boolean | Date | null | undefined;
}

function cell(raw: string | number | boolean | Date | null | undefined): string {
  if (raw === null || raw === undefined) return "";
  let text = raw instanceof Date ? raw.toISOString() : String(raw);
  // Formula injection (=, +, -, @, tab, CR at the start): neutralise for spreadsheets.
  if (typeof raw === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => cell(c.value(row))).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

/** A file name for an export: "holdfast-bookings-2026-11-21T0746Z.csv". */
export function csvFileName(list: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, "").replace("T", "T");
  return `holdfast-${list}-${stamp}Z.csv`;
}
