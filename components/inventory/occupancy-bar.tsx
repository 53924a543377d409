import { cx } from "@/components/ui/cx";

export interface OccupancyCounts {
  total: number;
  available: number;
  held: number;
  booked: number;
  occupied: number;
  blocked: number;
}

/** The order and colours of the states, shared by the bar and its legend. */
const OCCUPANCY_SEGMENTS = [
  { key: "occupied", label: "Occupied", swatch: "bg-indigo-700" },
  { key: "booked", label: "Booked", swatch: "bg-sky-500" },
  { key: "held", label: "Held", swatch: "bg-amber-400" },
  { key: "blocked", label: "Blocked", swatch: "bg-red-600" },
  { key: "available", label: "Available", swatch: "bg-emerald-500" },
] as const;

function describeOccupancy(counts: OccupancyCounts): string {
  return `${OCCUPANCY_SEGMENTS.map((segment) => `${counts[segment.key]} ${segment.label.toLowerCase()}`).join(", ")} of ${counts.total} units`;
}

/** A stacked bar of a pool's units by state; read out as text by screen readers. */
export function OccupancyBar({ counts, className }: { counts: OccupancyCounts; className?: string }) {
  const label = describeOccupancy(counts);
  return (
    <div
      role="img"
      aria-label={label}
      title={label}
      className={cx("flex h-2.5 w-full overflow-hidden rounded-full bg-slate-200", className)}
    >
      {counts.total > 0
        ? OCCUPANCY_SEGMENTS.map((segment) => {
            const value = counts[segment.key];
            if (value <= 0) return null;
            return (
              <span
                key={segment.key}
                className={cx("h-full transition-[width] duration-500", segment.swatch)}
                style={{ width: `${(value / counts.total) * 100}%` }}
              />
            );
          })
        : null}
    </div>
  );
}

export function OccupancyLegend() {
  return (
    <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Legend for the occupancy bars">
      {OCCUPANCY_SEGMENTS.map((segment) => (
        <li key={segment.key} className="flex items-center gap-1.5">
          <span aria-hidden="true" className={cx("h-2.5 w-2.5 rounded-sm", segment.swatch)} />
          {segment.label}
        </li>
      ))}
    </ul>
  );
}
