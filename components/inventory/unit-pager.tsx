"use client";

import { Button } from "@/components/ui/button";
import { formatCount } from "./format";
import type { FacilityBoardData } from "./inventory-data";

/**
 * Previous / next keyset page of a facility's units, with where this page sits among the
 * matching units (docs/performance.md#inventory-board); the board's and the catalogue's.
 */
export function UnitPager({
  data,
  loading,
  onPage,
  position,
}: {
  data: Pick<FacilityBoardData, "pageStart" | "units" | "matchedCount" | "prevCursor" | "nextCursor">;
  loading: boolean;
  onPage: (page: { after: string } | { before: string }) => void;
  position: "top" | "bottom";
}) {
  const from = data.pageStart + 1;
  const to = data.pageStart + data.units.length;
  return (
    <nav aria-label={`Pages of units (${position})`} className="flex flex-wrap items-center justify-between gap-3" data-testid="board-pager">
      <p className="text-sm text-slate-700" aria-live={position === "top" ? "polite" : undefined}>
        Units <span className="font-medium text-slate-900 tabular-nums">{formatCount(from)}–{formatCount(to)}</span> of{" "}
        <span className="tabular-nums">{formatCount(data.matchedCount)}</span>
        {loading ? <span className="ml-2 text-slate-500">Loading…</span> : null}
      </p>
      <div className="flex gap-2">
        <Button variant="secondary" size="sm" disabled={!data.prevCursor} onClick={() => data.prevCursor && onPage({ before: data.prevCursor })}>
          ← Previous page
        </Button>
        <Button variant="secondary" size="sm" disabled={!data.nextCursor} onClick={() => data.nextCursor && onPage({ after: data.nextCursor })}>
          Next page →
        </Button>
      </div>
    </nav>
  );
}
