import type { BadgeTone } from "@/components/ui/badge";
import type { ImportRowView, ImportStatus, ImportView } from "@/server/domain/catalogue/imports/import-view";

/** How the console words a catalogue import (docs/domain.md#catalogue-imports). Pure. */

/** The file the upload form offers as a starting point: the header and a few example rows. */
export const IMPORT_TEMPLATE_CSV = ["code,unit_type_code,floor,retired", "A-101,5X5,1,no", "A-102,5X5,1,no", "B-201,10X10,2,no", "C-001,5X5,0,yes", ""].join("\n");

export const IMPORT_STATUS: Record<ImportStatus, { label: string; tone: BadgeTone; finished: boolean; working: boolean }> = {
  PLANNING: { label: "Planning", tone: "info", finished: false, working: true },
  PLANNED: { label: "Ready to apply", tone: "warning", finished: false, working: false },
  APPLYING: { label: "Applying", tone: "info", finished: false, working: true },
  COMPLETED: { label: "Completed", tone: "success", finished: true, working: false },
  CANCELLED: { label: "Cancelled", tone: "neutral", finished: true, working: false },
  FAILED: { label: "Failed", tone: "danger", finished: true, working: false },
};

/** How often the import's page reads it again: every second while the worker is on it, not at all once it has ended. */
export function importRefetchInterval(status: ImportStatus | undefined): number | false {
  if (!status) return false;
  if (IMPORT_STATUS[status].working) return 1_000;
  return IMPORT_STATUS[status].finished ? false : 10_000;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/** What applying will do, in words: the confirmation's question. */
export function applySummary(view: Pick<ImportView, "facilityCode" | "plan">): string {
  const { add, change, retire, errors } = view.plan;
  const parts = [plural(add, "unit to add", "units to add"), plural(change, "to change", "to change"), plural(retire, "to retire", "to retire")];
  const skipped = errors ? ` ${plural(errors, "row with an error is", "rows with errors are")} left out.` : "";
  return `Apply ${parts.join(", ")} at ${view.facilityCode}?${skipped}`;
}

/** A row of the changes table: what the import does to the unit. */
export function describeRowChange(row: Pick<ImportRowView, "action" | "unitTypeCode" | "floor" | "before">): string {
  switch (row.action) {
    case "ADD":
      return `New ${row.unitTypeCode ?? "?"} unit on floor ${row.floor ?? 0}`;
    case "RETIRE":
      return "Retired";
    case "CHANGE": {
      const before = row.before;
      if (!before) return "Changed";
      const changes = [
        before.unit_type_code !== row.unitTypeCode ? `type ${before.unit_type_code} → ${row.unitTypeCode}` : null,
        before.floor !== row.floor ? `floor ${before.floor} → ${row.floor}` : null,
      ].filter(Boolean);
      return changes.length ? changes.join(", ") : "Changed";
    }
    case "NONE":
      return "Unchanged";
    case "ERROR":
      return "Not imported";
  }
}

/** The import's progress in words, beside its bar. */
export function progressText(view: Pick<ImportView, "status" | "progress" | "plan">): string {
  if (view.status === "PLANNING") return `Reading ${plural(view.plan.rows, "row", "rows")} and comparing them with the facility's units…`;
  const { processed, toApply, percent } = view.progress;
  return `${processed.toLocaleString("en-GB")} of ${plural(toApply, "change", "changes")} applied (${percent}%)`;
}

export type ImportRowKind = "errors" | "changes";

export const IMPORT_ROWS_PAGE = 50;

/** The import page's query from its URL (?rows=changes&after=<line>): which rows, after which line. */
export function importDetailInput(importId: string, params: Record<string, string | undefined>) {
  const rows: ImportRowKind = params.rows === "changes" ? "changes" : "errors";
  const after = Number(params.after);
  return { import_id: importId, rows, after_line: Number.isSafeInteger(after) && after > 0 ? after : 0, limit: IMPORT_ROWS_PAGE };
}

/** A plan in a few words for a list: only what it does ("500 to add · 2 errors"). */
export function planSummary(plan: ImportView["plan"]): string {
  const parts = [
    plan.add ? `${plan.add.toLocaleString("en-GB")} to add` : null,
    plan.change ? `${plan.change.toLocaleString("en-GB")} to change` : null,
    plan.retire ? `${plan.retire.toLocaleString("en-GB")} to retire` : null,
  ].filter(Boolean);
  if (!parts.length) parts.push("no changes");
  if (plan.errors) parts.push(plural(plan.errors, "error", "errors"));
  return parts.join(" · ");
}
