"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import type { CsvColumn } from "@/components/ui/csv";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, TFoot, Th, THead, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { RefreshStatus } from "./refresh-status";
import { FIRST_PAGE, parseBoardFilters, parseUnitParam, UNIT_STATUS_ORDER, type BoardUnitStatus, type ListedUnitStatus } from "./board-filters";
import { formatCount } from "./format";
import { BlocksPanel } from "./blocks-panel";
import { HoldsBoard } from "./holds-board";
import { BOARD_REFRESH_MS, UNIT_CSV_COLUMNS, useAllBoardUnits, type BoardPermissions, type BoardPool, type BoardUnit, type FacilityBoardData } from "./inventory-data";
import { countOf, UnitFilters } from "./unit-filters";
import { UnitPager } from "./unit-pager";
import { HATCH_STYLE, StatusSwatch, UNIT_STATUS_STYLE } from "./unit-status";
import { UnitDrawer } from "./unit-drawer";

const COUNTERS = [
  { key: "total", label: "Total" },
  { key: "available", label: "Available" },
  { key: "held", label: "Held" },
  { key: "booked", label: "Booked" },
  { key: "occupied", label: "Occupied" },
  { key: "blocked", label: "Blocked" },
] as const;

const UNIT_CSV: readonly CsvColumn<BoardUnit>[] = [
  ...UNIT_CSV_COLUMNS,
  { header: "booking_reference", value: (u) => u.booking?.reference },
  { header: "booking_status", value: (u) => u.booking?.status.toLowerCase() },
  { header: "partner_code", value: (u) => u.booking?.partnerCode },
  { header: "hold_expires_at", value: (u) => (u.booking?.status === "TENTATIVE" ? u.booking.holdExpiresAt : null) },
  { header: "block_reason", value: (u) => u.blocks.find((b) => b.status === "ACTIVE")?.reason },
  { header: "block_ends_at", value: (u) => u.blocks.find((b) => b.status === "ACTIVE")?.endsAt },
  { header: "scheduled_block_starts_at", value: (u) => u.blocks.find((b) => b.status === "SCHEDULED")?.startsAt },
];

/**
 * /inventory/{facility_code}: the pools' counters, the board of units — one keyset page at
 * a time, filters and page in the URL (docs/performance.md#inventory-board) —
 * the unit drawer (?unit=CODE), and the live holds — all refreshing every few seconds
 * without moving the page or closing what is open.
 */
export function FacilityBoard({ facilityCode, timezone, canBlock, canRelease }: { facilityCode: string; timezone: string } & BoardPermissions) {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const filters = useMemo(() => parseBoardFilters(params), [params]);
  const openUnit = parseUnitParam(params);
  const live = { refetchInterval: BOARD_REFRESH_MS, refetchIntervalInBackground: false } as const;
  const board = useQuery(trpc.inventory.board.queryOptions({ facilityCode, ...filters }, { ...live, placeholderData: keepPreviousData }));
  const holds = useQuery(trpc.inventory.holds.queryOptions({ facilityCode }, live));
  const [notice, setNotice] = useState<string | null>(null);

  const closeDrawer = useCallback(() => {
    const code = openUnit;
    update({ unit: null });
    if (code) document.querySelector<HTMLElement>(`[data-unit-tile="${CSS.escape(code)}"]`)?.focus();
  }, [openUnit, update]);

  // The export walks every page of the filtered units, not just the one on screen.
  const exportUnits = useAllBoardUnits(useMemo(() => ({ facilityCode, ...filters }), [facilityCode, filters]));
  const refetchHolds = useCallback(async () => {
    const result = await holds.refetch();
    if (!result.data) throw new Error("The holds could not be loaded for the export.");
    return result.data.holds;
  }, [holds]);

  if (board.isPending) return <BoardSkeleton />;
  if (!board.data) {
    return <QueryErrorState title="The board could not be loaded" query={board} />;
  }
  const data = board.data;

  return (
    <div className="flex items-start gap-6">
      <div className="min-w-0 flex-1 space-y-6">
        <div className="flex min-h-6 flex-wrap items-center justify-between gap-x-6 gap-y-2">
          <p className="text-sm text-slate-700">
            Facility time{" "}
            <ZonedTime value={data.asOf} timeZone={timezone} className="font-medium text-slate-900 tabular-nums" />
          </p>
          <RefreshStatus updatedAt={board.dataUpdatedAt} failed={board.isError} fetching={board.isFetching} intervalMs={BOARD_REFRESH_MS} />
        </div>
        {notice ? (
          <div role="status" className="flex items-center justify-between gap-3 rounded-md border border-emerald-200 bg-emerald-50 px-4 py-2 text-sm text-emerald-900" data-testid="board-notice">
            <span>{notice}</span>
            <Button variant="ghost" size="sm" onClick={() => setNotice(null)}>
              Dismiss
            </Button>
          </div>
        ) : null}

        <PoolCounters data={data} selectedType={filters.unitType} />

        <HoldsBoard
          facilityCode={facilityCode}
          timezone={timezone}
          canRelease={canRelease}
          query={{ holds: holds.data?.holds, pending: holds.isPending, error: holds.error, refetch: refetchHolds, retrying: holds.isFetching }}
          onReleased={setNotice}
        />

        <BlocksPanel facilityCode={facilityCode} timezone={timezone} canBlock={canBlock} onOpenUnit={(code) => update({ unit: code })} onChanged={setNotice} />

        <Panel
          headingId="units-heading"
          title={
            <span className="flex items-center gap-2">
              Units
              <Badge tone="neutral">
                {data.matchedCount === data.unfilteredCount ? formatCount(data.unfilteredCount) : `${formatCount(data.matchedCount)} of ${formatCount(data.unfilteredCount)}`}
              </Badge>
            </span>
          }
          description="Select a unit for its bookings, blocks and events."
          actions={<ExportCsvButton list={`units-${facilityCode}`} columns={UNIT_CSV} fetchRows={exportUnits} />}
        >
          <UnitFilters
            unitTypes={data.facility.pools.map((pool) => pool.unitTypeCode)}
            counts={data.counts}
            floors={data.floors}
            filters={filters}
            statusOrder={UNIT_STATUS_ORDER}
            onChange={(patch) => update({ ...patch, ...FIRST_PAGE })}
          />
          <UnitGrid
            data={data}
            statuses={filters.status}
            loading={board.isPlaceholderData}
            selected={openUnit}
            onSelect={(code) => update({ unit: code })}
            onPage={(page) => update({ ...FIRST_PAGE, ...page }, { push: true })}
            timezone={timezone}
          />
        </Panel>
      </div>
      {openUnit ? (
        <UnitDrawer key={openUnit} facilityCode={facilityCode} timezone={timezone} unitCode={openUnit} canBlock={canBlock} onClose={closeDrawer} />
      ) : null}
    </div>
  );
}

function PoolCounters({ data, selectedType }: { data: FacilityBoardData; selectedType?: string }) {
  const { pools, totals } = data.facility;
  return (
    <Panel headingId="pools-heading" title="Pools" description="Counters per unit type, and inventory_version — it rises by 1 with every change of availability.">
      {pools.length === 0 ? (
        <EmptyState className="m-4" title="No unit types yet" description="Unit types and their units appear here once they are set up." />
      ) : (
        <Table caption={`Pool counters at ${data.facility.code}`} data-testid="pool-counters">
          <THead>
            <Tr>
              <Th>Unit type</Th>
              {COUNTERS.map((c) => (
                <Th key={c.key} numeric>
                  <span className="inline-flex items-center gap-1.5">
                    {c.key !== "total" ? <StatusSwatch status={c.key.toUpperCase() as BoardUnitStatus} /> : null}
                    {c.label}
                  </span>
                </Th>
              ))}
              <Th numeric>Version</Th>
            </Tr>
          </THead>
          <TBody>
            {pools.map((pool: BoardPool) => (
              <Tr key={pool.unitTypeCode} title={pool.unitTypeName} data-testid="pool-row" data-unit-type={pool.unitTypeCode} className={cx(selectedType === pool.unitTypeCode && "bg-indigo-50")}>
                <Td>
                  <span className="font-mono font-semibold text-slate-900">{pool.unitTypeCode}</span>
                  <span className="ml-2 hidden text-xs text-slate-600 2xl:inline">{pool.unitTypeName}</span>
                </Td>
                {COUNTERS.map((c) => (
                  <Td key={c.key} numeric data-counter={c.key} className={cx(pool[c.key] === 0 && c.key !== "total" && "text-slate-500")}>
                    {formatCount(pool[c.key])}
                  </Td>
                ))}
                <Td numeric className="font-mono text-xs" data-counter="inventory_version">
                  v{pool.inventoryVersion}
                </Td>
              </Tr>
            ))}
          </TBody>
          <TFoot>
            <Tr data-testid="pool-totals">
              <Th scope="row" className="text-left">
                {data.facility.code} total
              </Th>
              {COUNTERS.map((c) => (
                <Td key={c.key} numeric data-counter={c.key} className="font-semibold text-slate-900">
                  {formatCount(totals[c.key])}
                </Td>
              ))}
              <Td />
            </Tr>
          </TFoot>
        </Table>
      )}
    </Panel>
  );
}

function UnitGrid({
  data,
  statuses,
  loading,
  selected,
  onSelect,
  onPage,
  timezone,
}: {
  data: FacilityBoardData;
  /** the status filter, for the per-type counts in the group headings */
  statuses?: readonly ListedUnitStatus[];
  /** a new page or filter is on its way (the previous page stays, dimmed) */
  loading: boolean;
  selected: string | null;
  onSelect: (code: string) => void;
  onPage: (page: { after: string } | { before: string }) => void;
  timezone: string;
}) {
  const { units } = data;
  const groups = useMemo(() => {
    const map = new Map<string, BoardUnit[]>();
    for (const unit of units) map.set(unit.unitTypeCode, [...(map.get(unit.unitTypeCode) ?? []), unit]);
    return [...map.entries()];
  }, [units]);
  const typeTotal = (type: string) => (statuses?.length ? statuses : UNIT_STATUS_ORDER).reduce((n, s) => n + countOf(data.counts, s, type), 0);
  const paged = Boolean(data.prevCursor || data.nextCursor);
  return (
    <div className="space-y-5 px-4 py-4" aria-busy={loading}>
      <Legend />
      {units.length === 0 ? (
        data.unfilteredCount === 0 ? (
          <EmptyState title="No units at this facility yet" description="Units appear here once they are added in the catalogue or imported." />
        ) : (
          <EmptyState title="No units match these filters" description="Change the unit code, type, floor or statuses above, or clear the filters." />
        )
      ) : (
        <>
          {paged ? <UnitPager data={data} loading={loading} onPage={onPage} position="top" /> : null}
          <div className={cx("space-y-5 transition-opacity", loading && "opacity-60")}>
            {groups.map(([type, typeUnits]) => {
              const total = typeTotal(type);
              return (
                <section key={type} aria-labelledby={`units-${type}`}>
                  <h3 id={`units-${type}`} className="mb-2 flex items-baseline gap-2 text-sm font-semibold text-slate-900">
                    <span className="font-mono">{type}</span>
                    <span className="text-xs font-normal text-slate-600">
                      {formatCount(total)} units{typeUnits.length < total ? ` · ${formatCount(typeUnits.length)} on this page` : ""}
                    </span>
                  </h3>
                  <ul className="grid grid-cols-[repeat(auto-fill,minmax(5.75rem,1fr))] gap-1.5" data-testid="unit-grid">
                    {typeUnits.map((unit) => (
                      <li key={unit.code}>
                        <UnitTile unit={unit} selected={selected === unit.code} onSelect={onSelect} timezone={timezone} />
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
          {paged ? <UnitPager data={data} loading={loading} onPage={onPage} position="bottom" /> : null}
        </>
      )}
    </div>
  );
}

function UnitTile({ unit, selected, onSelect, timezone }: { unit: BoardUnit; selected: boolean; onSelect: (code: string) => void; timezone: string }) {
  const style = UNIT_STATUS_STYLE[unit.status as BoardUnitStatus];
  const scheduled = unit.blocks.find((b) => b.status === "SCHEDULED");
  // An overlock or lock fault on an occupied unit: the tenant stays, their access is suspended (docs/domain.md#site-operations).
  const tenantBlock = unit.status === "OCCUPIED" ? unit.blocks.find((b) => b.status === "ACTIVE") : undefined;
  const detail = [
    unit.booking ? `${unit.booking.reference} (${unit.booking.status.toLowerCase()}, ${unit.booking.partnerCode})` : null,
    unit.blocks.find((b) => b.status === "ACTIVE")?.reason.toLowerCase().replace("_", " "),
    scheduled ? "block scheduled" : null,
  ]
    .filter(Boolean)
    .join(", ");
  return (
    <button
      type="button"
      data-unit-tile={unit.code}
      data-status={unit.status}
      data-tenant-block={tenantBlock ? tenantBlock.reason : undefined}
      aria-pressed={selected}
      onClick={() => onSelect(unit.code)}
      title={detail ? `${unit.code}: ${style.label} — ${detail}` : `${unit.code}: ${style.label}`}
      style={unit.status === "BLOCKED" ? HATCH_STYLE : undefined}
      className={cx(
        "relative flex h-14 w-full flex-col items-start justify-between rounded-md border-2 px-2 py-1 text-left transition-colors",
        style.tile,
        selected && "ring-2 ring-indigo-600 ring-offset-2",
        focusRing,
      )}
    >
      <span className="font-mono text-sm leading-tight font-semibold">{unit.code}</span>
      <span className="text-[11px] leading-tight font-medium">
        {style.short}
        {tenantBlock ? (
          <span className="ml-1 inline-flex items-center rounded-sm bg-white px-1 align-middle text-[10px] font-semibold text-red-800" data-testid="tenant-block-marker">
            {tenantBlock.reason === "OVERLOCK" ? "overlock" : "lock fault"}
          </span>
        ) : null}
        {scheduled ? (
          <span className="ml-1 inline-flex items-center gap-0.5 rounded-sm bg-white/85 px-1 align-middle text-[10px] font-semibold text-red-800">
            <ClockIcon />
            sched<span className="sr-only">uled block from </span>
            <ZonedTime value={scheduled.startsAt} timeZone={timezone} className="sr-only" />
          </span>
        ) : null}
      </span>
      {detail ? <span className="sr-only">{detail}</span> : null}
    </button>
  );
}

function Legend() {
  return (
    <ul className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-700" aria-label="Legend for the unit tiles" data-testid="board-legend">
      {UNIT_STATUS_ORDER.map((status) => (
        <li key={status} className="flex items-center gap-1.5">
          <StatusSwatch status={status} />
          {UNIT_STATUS_STYLE[status].label}
          <span className="text-slate-500">(“{UNIT_STATUS_STYLE[status].short}”)</span>
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className="inline-flex items-center gap-0.5 rounded-sm border border-slate-300 bg-white px-1 text-[10px] font-semibold text-red-800">
          <ClockIcon />
          sched
        </span>
        Block scheduled
      </li>
    </ul>
  );
}

function ClockIcon() {
  return (
    <svg viewBox="0 0 16 16" aria-hidden="true" className="h-2.5 w-2.5" fill="none" stroke="currentColor" strokeWidth="2">
      <circle cx="8" cy="8" r="6.5" />
      <path d="M8 4.5V8l2.5 1.5" strokeLinecap="round" />
    </svg>
  );
}

export function BoardSkeleton() {
  return (
    <div role="status" aria-live="polite" className="space-y-6" data-testid="board-loading">
      <span className="sr-only">Loading the board…</span>
      <Skeleton className="h-40 w-full" />
      <div className="grid grid-cols-[repeat(auto-fill,minmax(5.75rem,1fr))] gap-1.5">
        {Array.from({ length: 36 }, (_, i) => (
          <Skeleton key={i} className="h-14" />
        ))}
      </div>
    </div>
  );
}
