"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { formatInZone, formatLatency, formatUtc } from "@/components/ui/time-format";
import { ZonedTime } from "@/components/ui/zoned-time";
import type { CsvColumn } from "@/components/ui/csv";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import type { DeliveryFilterValue } from "./filter-params";
import { deliveryStatusLabel, FAILURE_CLASS_LABELS, formatCount, formatHttpStatus, httpStatusTone, shortUrl } from "./format";
import { WEBHOOKS_REFRESH_MS, type DeliveryRow } from "./webhooks-data";

/**
 * The delivery log: every delivery matching the filter, newest first, loaded a page at a
 * time from the server (keyset cursor) as the user scrolls, and rendered through a
 * virtualiser so only the rows on screen exist in the DOM — 100k rows scroll like 100.
 *
 * Live refresh refetches the loaded pages every few seconds while at most a few pages are
 * loaded (deep in the log, it pauses rather than refetch thousands of rows, and says so).
 * New rows arrive on top; when the user has scrolled down, the row they are looking at
 * stays where it is.
 */

const DELIVERY_PAGE_SIZE = 200;
const ROW_HEIGHT = 48;
/** Live refresh stops once more pages than this are loaded. */
const LIVE_MAX_PAGES = 3;

const GRID = "grid grid-cols-[minmax(15.5rem,1.2fr)_6.5rem_7.5rem_4.5rem_minmax(10rem,1fr)_minmax(12rem,1.4fr)_5rem_7rem_5rem] items-center gap-x-3";

const DELIVERY_CSV_COLUMNS: readonly CsvColumn<DeliveryRow>[] = [
  { header: "delivery_id", value: (r) => r.id },
  { header: "created_at_utc", value: (r) => r.createdAt },
  { header: "status", value: (r) => r.status },
  { header: "attempts", value: (r) => r.attemptCount },
  { header: "last_http_status", value: (r) => r.lastStatus },
  { header: "last_failure_class", value: (r) => r.lastFailureClass },
  { header: "last_duration_ms", value: (r) => r.lastDurationMs },
  { header: "last_attempt_at_utc", value: (r) => r.lastAttemptAt },
  { header: "next_attempt_at_utc", value: (r) => r.nextAttemptAt },
  { header: "event_id", value: (r) => r.eventId },
  { header: "event_type", value: (r) => r.eventType },
  { header: "correlation_id", value: (r) => r.correlationId },
  { header: "endpoint_id", value: (r) => r.endpointId },
  { header: "endpoint_url", value: (r) => r.endpointUrl },
  { header: "partner", value: (r) => r.partnerCode },
  { header: "facility", value: (r) => r.facilityCode },
  { header: "booking_reference", value: (r) => r.bookingReference },
  { header: "created_at_facility_time", value: (r) => (r.facilityTimezone ? formatInZone(r.createdAt, r.facilityTimezone) : "") },
];

export interface DeliveryLogProps {
  filter: DeliveryFilterValue;
  /** what the export file is called: holdfast-{list}-….csv */
  exportName?: string;
  /** the scroll area's largest height (it is shorter when the rows are few) */
  height?: string;
  /** says what to do when nothing matches */
  emptyHint?: React.ReactNode;
  /** shown in the toolbar, right-aligned before the export button */
  actions?: React.ReactNode;
}

export function DeliveryLog({ filter, exportName = "webhook-deliveries", height = "min(70vh, 760px)", emptyHint, actions }: DeliveryLogProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const input = useMemo(() => ({ filter, limit: DELIVERY_PAGE_SIZE }), [filter]);
  const query = useInfiniteQuery(
    trpc.webhooks.deliveries.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
      initialCursor: null,
      refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) <= LIVE_MAX_PAGES ? WEBHOOKS_REFRESH_MS : false),
      refetchIntervalInBackground: false,
    }),
  );
  // Counting a large log costs more than a page of it: refreshed less often.
  const count = useQuery(trpc.webhooks.deliveryCount.queryOptions({ filter }, { refetchInterval: 3 * WEBHOOKS_REFRESH_MS }));

  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.rows) ?? [], [query.data]);
  const pages = query.data?.pages.length ?? 0;
  const live = pages <= LIVE_MAX_PAGES;

  const toolbar = (
    <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 border-b border-slate-200 px-4 py-2.5 text-sm">
      <p className="text-slate-700" aria-live="polite" data-testid="delivery-count">
        {count.data ? (
          <>
            <span className="font-semibold tabular-nums text-slate-900">
              {count.data.capped ? "More than " : ""}
              {formatCount(count.data.count)}
            </span>{" "}
            {count.data.count === 1 ? "delivery" : "deliveries"}
            {rows.length && rows.length < count.data.count ? <span className="text-slate-500"> · {formatCount(rows.length)} loaded</span> : null}
          </>
        ) : (
          <span className="text-slate-500">Counting…</span>
        )}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <LiveStatus live={live} updatedAt={query.dataUpdatedAt} fetching={query.isFetching} failed={query.isError} onRefresh={() => void Promise.all([query.refetch(), count.refetch()])} />
        {actions}
        <ExportCsvButton
          list={exportName}
          columns={DELIVERY_CSV_COLUMNS}
          fetchRows={async () => (await client.webhooks.exportDeliveries.query({ filter })).rows}
        />
      </div>
    </div>
  );

  if (query.isPending) {
    return (
      <>
        {toolbar}
        <div className="space-y-2 p-4" aria-busy="true" aria-label="Loading deliveries">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </div>
      </>
    );
  }

  if (query.isError && !query.data) {
    return (
      <>
        {toolbar}
        <div className="p-4">
          <QueryErrorState title="The delivery log could not be loaded" query={query} />
        </div>
      </>
    );
  }

  return (
    <>
      {toolbar}
      {rows.length === 0 ? (
        <EmptyState className="m-4" title="No deliveries match" description={emptyHint ?? "Try a wider time range or fewer filters."} />
      ) : (
        <VirtualRows
          rows={rows}
          height={height}
          hasNextPage={Boolean(query.hasNextPage)}
          fetchingNext={query.isFetchingNextPage}
          fetchNext={() => void query.fetchNextPage()}
          nextFailed={query.isFetchNextPageError}
        />
      )}
    </>
  );
}

function LiveStatus({
  live,
  updatedAt,
  fetching,
  failed,
  onRefresh,
}: {
  live: boolean;
  updatedAt: number;
  fetching: boolean;
  failed: boolean;
  onRefresh: () => void;
}) {
  return (
    <span className="inline-flex items-center gap-2 text-xs text-slate-600">
      {failed ? (
        <span className="font-medium text-red-700">Refresh failed</span>
      ) : live ? (
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className={cx("h-2 w-2 rounded-full", fetching ? "bg-amber-500" : "bg-emerald-500")} />
          Live{updatedAt ? ` · ${new Date(updatedAt).toLocaleTimeString("en-GB")}` : ""}
        </span>
      ) : (
        <span title="Deep in the log, the loaded rows are not refetched automatically">Live refresh paused</span>
      )}
      <Button size="sm" variant="ghost" onClick={onRefresh} disabled={fetching}>
        {fetching ? "Refreshing…" : "Refresh"}
      </Button>
    </span>
  );
}

function VirtualRows({
  rows,
  height,
  hasNextPage,
  fetchingNext,
  fetchNext,
  nextFailed,
}: {
  rows: DeliveryRow[];
  height: string;
  hasNextPage: boolean;
  fetchingNext: boolean;
  fetchNext: () => void;
  nextFailed: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualiser re-renders this component when the scroll position moves; nothing memoised downstream holds its functions.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (hasNextPage || nextFailed ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => rows[index]?.id ?? "__more",
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  // Load the next page before the user reaches the end.
  useEffect(() => {
    if (hasNextPage && !fetchingNext && !nextFailed && lastIndex >= rows.length - 40) fetchNext();
  }, [lastIndex, rows.length, hasNextPage, fetchingNext, nextFailed, fetchNext]);

  // Keep the row at the top of the view in place when a refresh adds rows above it.
  const anchor = useRef<{ id: string; index: number } | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const previous = anchor.current;
    if (el && previous && el.scrollTop > 0) {
      const now = rows.findIndex((r) => r.id === previous.id);
      if (now >= 0 && now !== previous.index) el.scrollTop += (now - previous.index) * ROW_HEIGHT;
    }
    rememberAnchor();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- runs when the rows change, reading the scroll position then
  }, [rows]);
  function rememberAnchor() {
    const el = scrollRef.current;
    if (!el) return;
    const index = Math.min(rows.length - 1, Math.floor(el.scrollTop / ROW_HEIGHT));
    const row = rows[index];
    anchor.current = row ? { id: row.id, index } : null;
  }

  return (
    <div
      ref={scrollRef}
      onScroll={rememberAnchor}
      className="overflow-auto"
      style={{ maxHeight: height }}
      role="table"
      aria-label="Webhook deliveries"
      aria-rowcount={rows.length + 1}
      data-testid="delivery-log"
    >
      <div className="min-w-[1180px]">
        <div role="rowgroup" className="sticky top-0 z-10 border-b border-slate-200 bg-slate-50">
          <div role="row" aria-rowindex={1} className={cx(GRID, "px-4 py-2 text-xs font-semibold text-slate-700")}>
            <span role="columnheader">Created</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Last answer</span>
            <span role="columnheader" className="text-right">
              Attempts
            </span>
            <span role="columnheader">Event</span>
            <span role="columnheader">Endpoint</span>
            <span role="columnheader">Facility</span>
            <span role="columnheader">Booking</span>
            <span role="columnheader" className="text-right">
              Latency
            </span>
          </div>
        </div>
        <div role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            const style = { height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
            if (!row) {
              return (
                <div key={item.key} role="row" className="absolute inset-x-0 top-0 flex items-center justify-center text-sm text-slate-600" style={style}>
                  <span role="cell">
                    {nextFailed ? (
                      <>
                        Loading more failed.{" "}
                        <Button size="sm" variant="secondary" onClick={fetchNext}>
                          Try again
                        </Button>
                      </>
                    ) : (
                      "Loading more deliveries…"
                    )}
                  </span>
                </div>
              );
            }
            return <DeliveryLine key={item.key} row={row} rowIndex={item.index + 2} style={style} />;
          })}
        </div>
      </div>
    </div>
  );
}

function DeliveryLine({ row, rowIndex, style }: { row: DeliveryRow; rowIndex: number; style: React.CSSProperties }) {
  const status = deliveryStatusLabel(row.status);
  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      data-testid="delivery-row"
      data-delivery-id={row.id}
      data-status={row.status}
      className={cx(GRID, "absolute inset-x-0 top-0 border-b border-slate-100 px-4 text-sm hover:bg-slate-50")}
      style={style}
    >
      <span role="cell" className="min-w-0">
        <Link href={`/webhooks/deliveries/${row.id}`} className={cx("block truncate font-medium text-indigo-800 hover:underline", focusRing)} title={`Delivery ${row.id}`}>
          <ZonedTime value={row.createdAt} timeZone={row.facilityTimezone} withSeconds />
        </Link>
        <span className="block truncate font-mono text-[11px] text-slate-500">{row.id}</span>
      </span>
      <span role="cell">
        <Badge tone={status.tone} title={status.hint}>
          {status.label}
        </Badge>
      </span>
      <span role="cell" className="min-w-0 truncate">
        <Badge tone={httpStatusTone(row.lastStatus)} className="font-mono">
          {formatHttpStatus(row.lastStatus)}
        </Badge>
        {row.lastFailureClass && row.lastStatus === null ? (
          <span className="ml-1 text-xs text-slate-600">{FAILURE_CLASS_LABELS[row.lastFailureClass] ?? row.lastFailureClass}</span>
        ) : null}
      </span>
      <span role="cell" className="text-right tabular-nums">
        {row.attemptCount}
      </span>
      <span role="cell" className="min-w-0">
        <span className="block truncate font-mono text-xs text-slate-800">{row.eventType}</span>
        <span className="block truncate font-mono text-[11px] text-slate-500" title={row.correlationId ? `Correlation id ${row.correlationId}` : undefined}>
          {row.correlationId ?? row.eventId}
        </span>
      </span>
      <span role="cell" className="min-w-0">
        <Link href={`/webhooks/endpoints/${row.endpointId}`} className={cx("block truncate text-slate-800 hover:underline", focusRing)} title={row.endpointUrl}>
          <span className="font-mono text-xs font-semibold">{row.partnerCode}</span> <span className="text-xs text-slate-600">{shortUrl(row.endpointUrl)}</span>
        </Link>
      </span>
      <span role="cell" className="font-mono text-xs text-slate-700">
        {row.facilityCode ?? "—"}
      </span>
      <span role="cell" className="min-w-0 truncate font-mono text-xs">
        {row.bookingReference ? (
          <Link href={`/bookings/${row.bookingReference}`} className={cx("text-indigo-800 hover:underline", focusRing)}>
            {row.bookingReference}
          </Link>
        ) : (
          <span className="text-slate-500">—</span>
        )}
      </span>
      <span role="cell" className="text-right text-xs tabular-nums text-slate-700" title={row.lastAttemptAt ? `Last attempt ${formatUtc(row.lastAttemptAt)}` : undefined}>
        {formatLatency(row.lastDurationMs)}
      </span>
    </div>
  );
}
