"use client";

import { useId, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { Input, Select } from "@/components/ui/form";
import { statusParam, type BoardFilters, type ListedUnitStatus } from "./board-filters";
import { formatCount } from "./format";
import type { BoardTypeCounts } from "./inventory-data";
import { StatusSwatch, UNIT_STATUS_STYLE } from "./unit-status";

/** Counts of one status under the filters: of the selected type, or of every type. */
export function countOf(counts: readonly BoardTypeCounts[], status: ListedUnitStatus, unitType?: string): number {
  const key = status.toLowerCase() as Lowercase<ListedUnitStatus>;
  return counts.filter((c) => !unitType || c.unitTypeCode === unitType).reduce((n, c) => n + c[key], 0);
}

/**
 * The filters of a facility's paged units (docs/performance.md#inventory-board): unit code
 * (Enter sends it), unit type, floor and status chips counting what each would add. The
 * board and the catalogue both show it; `statusOrder` is theirs (the catalogue's ends with
 * RETIRED). A change is a URL patch (`onChange`), so the view stays a link.
 */
export function UnitFilters({
  unitTypes,
  counts,
  floors,
  filters,
  statusOrder,
  onChange,
}: {
  unitTypes: readonly string[];
  counts: readonly BoardTypeCounts[];
  floors: readonly number[];
  filters: BoardFilters;
  statusOrder: readonly ListedUnitStatus[];
  onChange: (patch: Record<string, string | null>) => void;
}) {
  const id = useId();
  const { unitType, floor, code } = filters;
  const statuses = filters.status ?? [];
  const filtered = Boolean(unitType) || statuses.length > 0 || floor !== undefined || Boolean(code);
  const submitCode = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("code");
    onChange({ code: typeof value === "string" && value.trim() ? value.trim() : null });
  };
  return (
    <div className="flex flex-wrap items-end gap-x-6 gap-y-3 border-b border-slate-200 px-4 py-3" role="search" aria-label="Filter units">
      <form onSubmit={submitCode} className="flex items-end gap-2">
        <div>
          <label htmlFor={`${id}-code`} className="block text-xs font-medium text-slate-700">
            Unit code
          </label>
          <Input
            // a new key when the URL's code changes (Clear filters, back button) resets the field
            key={code ?? ""}
            id={`${id}-code`}
            name="code"
            className="mt-1 w-36"
            defaultValue={code ?? ""}
            maxLength={32}
            placeholder="e.g. A-1"
            aria-describedby={`${id}-code-hint`}
          />
          <span id={`${id}-code-hint`} className="sr-only">
            Units whose code contains this; press Enter to filter.
          </span>
        </div>
        <Button type="submit" variant="secondary" size="sm" className="mb-0.5">
          Find
        </Button>
      </form>
      <div>
        <label htmlFor={`${id}-type`} className="block text-xs font-medium text-slate-700">
          Unit type
        </label>
        <Select id={`${id}-type`} className="mt-1 w-44" value={unitType ?? ""} onChange={(e) => onChange({ type: e.target.value || null })}>
          <option value="">All types</option>
          {unitTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </Select>
      </div>
      {floors.length > 1 || floor !== undefined ? (
        <div>
          <label htmlFor={`${id}-floor`} className="block text-xs font-medium text-slate-700">
            Floor
          </label>
          <Select id={`${id}-floor`} className="mt-1 w-28" value={floor ?? ""} onChange={(e) => onChange({ floor: e.target.value === "" ? null : e.target.value })}>
            <option value="">All floors</option>
            {floors.map((f) => (
              <option key={f} value={f}>
                {f === 0 ? "Ground (0)" : `Floor ${f}`}
              </option>
            ))}
          </Select>
        </div>
      ) : null}
      <fieldset>
        <legend className="text-xs font-medium text-slate-700">Status</legend>
        <div className="mt-1 flex flex-wrap gap-1.5">
          {statusOrder.map((status) => {
            const on = statuses.includes(status);
            return (
              <button
                key={status}
                type="button"
                aria-pressed={on}
                onClick={() => onChange({ status: statusParam(on ? statuses.filter((s) => s !== status) : [...statuses, status]) })}
                className={cx(
                  "inline-flex h-9 items-center gap-1.5 rounded-md border px-2.5 text-sm",
                  on ? "border-indigo-700 bg-indigo-50 font-semibold text-indigo-900" : "border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
                  focusRing,
                )}
              >
                <StatusSwatch status={status} />
                {UNIT_STATUS_STYLE[status].label}
                <span className="text-xs text-slate-600 tabular-nums" data-status-count={status}>
                  {formatCount(countOf(counts, status, unitType))}
                </span>
              </button>
            );
          })}
        </div>
      </fieldset>
      {filtered ? (
        <Button variant="ghost" size="sm" onClick={() => onChange({ type: null, status: null, floor: null, code: null })}>
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
