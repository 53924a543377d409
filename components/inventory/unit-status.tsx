import { cx } from "@/components/ui/cx";
import type { ListedUnitStatus } from "./board-filters";

/**
 * How each unit status looks on the board and in its legend. Colour is never the only
 * cue: every tile says its status in words, and each status has its own border style or
 * pattern (held: dashed; blocked: hatched), which survive greyscale and colour blindness.
 * Colours match the occupancy bars (./occupancy-bar).
 */
export const UNIT_STATUS_STYLE: Record<ListedUnitStatus, { label: string; short: string; tile: string; swatch: string }> = {
  AVAILABLE: {
    label: "Available",
    short: "Free",
    tile: "border-emerald-600 bg-emerald-50 text-emerald-950 hover:bg-emerald-100",
    swatch: "border-emerald-600 bg-emerald-50",
  },
  HELD: {
    label: "Held",
    short: "Held",
    tile: "border-dashed border-amber-600 bg-amber-100 text-amber-950 hover:bg-amber-200",
    swatch: "border-dashed border-amber-600 bg-amber-100",
  },
  BOOKED: {
    label: "Booked",
    short: "Booked",
    tile: "border-sky-700 bg-sky-100 text-sky-950 hover:bg-sky-200",
    swatch: "border-sky-700 bg-sky-100",
  },
  OCCUPIED: {
    label: "Occupied",
    short: "In use",
    tile: "border-indigo-900 bg-indigo-700 text-white hover:bg-indigo-800",
    swatch: "border-indigo-900 bg-indigo-700",
  },
  BLOCKED: {
    label: "Blocked",
    short: "Blocked",
    tile: "border-red-700 bg-red-50 text-red-950 hover:bg-red-100",
    swatch: "border-red-700 bg-red-50",
  },
  // only in the catalogue's list (the board leaves retired units out): dotted, greyed
  RETIRED: {
    label: "Retired",
    short: "Retired",
    tile: "border-dotted border-slate-400 bg-slate-100 text-slate-600 hover:bg-slate-200",
    swatch: "border-dotted border-slate-400 bg-slate-100",
  },
};

/** The hatching for blocked units (an inline style: a Tailwind class per gradient is no clearer). */
export const HATCH_STYLE = {
  backgroundImage: "repeating-linear-gradient(135deg, rgb(220 38 38 / 0.22) 0 4px, transparent 4px 9px)",
} as const;

/** A small sample of a status's look, for legends and badges. */
export function StatusSwatch({ status, className }: { status: ListedUnitStatus; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx("inline-block h-3.5 w-3.5 shrink-0 rounded-sm border-2", UNIT_STATUS_STYLE[status].swatch, className)}
      style={status === "BLOCKED" ? HATCH_STYLE : undefined}
    />
  );
}

/** A status in words with its swatch. */
export function UnitStatusLabel({ status }: { status: ListedUnitStatus }) {
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <StatusSwatch status={status} />
      {UNIT_STATUS_STYLE[status].label}
    </span>
  );
}
