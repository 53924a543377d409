"use client";

import { keepPreviousData, useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/card";
import type { CsvColumn } from "@/components/ui/csv";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import { httpStatusTone } from "@/components/webhooks/format";
import type { AppRouter } from "@/server/api/root";
import { ApiLogFilters } from "./api-log-filters";
import {
  activeApiLogFilterCount,
  API_LOG_EXPORT_LIMIT,
  API_LOG_PAGE_SIZE,
  apiLogFilterFromParams,
  apiLogsHref,
  apiRequestHref,
  type ApiLogFilterKey,
} from "./api-log-params";

export type ApiRequest = inferRouterOutputs<AppRouter>["apiLogs"]["list"]["requests"][number];

/** Live refresh: new calls appear at the top; the rows already read stay where they are. */
const REFRESH_MS = 15_000;

const CSV_COLUMNS: readonly CsvColumn<ApiRequest>[] = [
  { header: "id", value: (r) => r.id },
  { header: "created_at", value: (r) => r.createdAt },
  { header: "source", value: (r) => r.source },
  { header: "partner", value: (r) => r.partnerCode },
  { header: "key_prefix", value: (r) => r.keyPrefix },
  { header: "method", value: (r) => r.method },
  { header: "route", value: (r) => r.route },
  { header: "path", value: (r) => r.path },
  { header: "query", value: (r) => r.query },
  { header: "status", value: (r) => r.status },
  { header: "code", value: (r) => r.code },
  { header: "duration_ms", value: (r) => r.durationMs },
  { header: "idempotency_key", value: (r) => r.idempotencyKey },
  { header: "replayed", value: (r) => r.replayed },
  { header: "correlation_id", value: (r) => r.correlationId },
  { header: "facility", value: (r) => r.facilityCode },
  { header: "booking_references", value: (r) => r.bookingReferences.join(" ") },
  { header: "ip", value: (r) => r.ip },
  { header: "user_agent", value: (r) => r.userAgent },
];

/** The request log: filters in the URL, newest first, "Load older" by keyset, CSV export of the whole filtered list. */
export function ApiLogList({ scopeNote }: { scopeNote: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const filter = useMemo(() => apiLogFilterFromParams(params), [params]);
  const list = useInfiniteQuery(
    trpc.apiLogs.list.infiniteQueryOptions(
      { filter, limit: API_LOG_PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor, refetchInterval: REFRESH_MS, placeholderData: keepPreviousData },
    ),
  );
  const requests = useMemo(() => list.data?.pages.flatMap((p) => p.requests) ?? [], [list.data]);
  const filterCount = activeApiLogFilterCount(filter);
  const change = (patch: Partial<Record<ApiLogFilterKey, string | null>>) => update(patch);

  return (
    <Panel
      headingId="api-logs-heading"
      title="Partner API calls"
      description={
        <>
          Every partner-API and payment-webhook call that got an answer, newest first — refusals, 401s and 429s included. Open one for
          its bodies, its idempotency key and what it caused. Times in UTC.
          {scopeNote ? <span className="mt-1 block font-medium text-slate-700">{scopeNote}</span> : null}
        </>
      }
      actions={
        <>
          {list.isPlaceholderData ? (
            <span role="status" className="text-xs font-medium text-indigo-700">
              Updating…
            </span>
          ) : null}
          <Link href="/api-logs/idempotency" className={cx("text-sm font-medium text-indigo-700 hover:underline", focusRing)}>
            Idempotency inspector
          </Link>
          <ExportCsvButton
            list="api-logs"
            columns={CSV_COLUMNS}
            fetchRows={async () =>
              (await queryClient.fetchQuery(trpc.apiLogs.list.queryOptions({ filter, limit: API_LOG_EXPORT_LIMIT }, { staleTime: 0 }))).requests
            }
          />
        </>
      }
    >
      <ApiLogFilters params={params} onChange={change} />
      {filterCount > 0 ? (
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700" data-testid="api-logs-filter-summary">
          <span>
            {filterCount} filter{filterCount === 1 ? "" : "s"} applied
          </span>
          <Link href="/api-logs" className={cx("rounded text-sm font-medium text-indigo-700 underline-offset-2 hover:underline", focusRing)}>
            Clear all
          </Link>
        </div>
      ) : null}
      {list.isError && !list.data ? (
        <ErrorState
          className="m-4"
          title="The request log could not be loaded"
          message={
            describeError(list.error).code === "BAD_REQUEST" || describeError(list.error).code === "UNPROCESSABLE_CONTENT"
              ? "These filters cannot be read. Check the status, the dates and the codes, or clear the filters."
              : describeError(list.error).message
          }
          correlationId={describeError(list.error).correlationId}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      ) : list.isPending ? (
        <ListSkeleton />
      ) : requests.length === 0 ? (
        <EmptyState
          className="m-4"
          title={filterCount ? "No calls match these filters" : "No partner calls yet"}
          description={filterCount ? "Widen the time range or clear a filter." : "Calls appear here the moment they are answered."}
          action={
            filterCount ? (
              <Link href="/api-logs" className={cx("text-sm font-medium text-indigo-700 underline", focusRing)}>
                Clear all filters
              </Link>
            ) : undefined
          }
        />
      ) : (
        <>
          <div aria-busy={list.isPlaceholderData} className={cx("transition-opacity", list.isPlaceholderData && "opacity-60")}>
            <RequestTable requests={requests} />
          </div>
          <div className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm text-slate-600">
            <span data-testid="api-logs-count">
              {requests.length.toLocaleString("en-GB")} {requests.length === 1 ? "call" : "calls"} shown
              {list.hasNextPage ? " · older calls available" : " · that is all"}
            </span>
            {list.hasNextPage ? (
              <Button variant="secondary" size="sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load older calls"}
              </Button>
            ) : null}
          </div>
          {list.isError ? (
            <p role="status" className="px-4 pb-3 text-xs text-red-700">
              Refreshing failed ({describeError(list.error).message}); showing what was loaded.
            </p>
          ) : null}
        </>
      )}
    </Panel>
  );
}

function RequestTable({ requests }: { requests: ApiRequest[] }) {
  const linkClass = cx("hover:text-indigo-700 hover:underline", focusRing);
  return (
    <Table caption="Partner API calls, newest first">
      <THead>
        <Tr>
          {["Time (UTC)", "Request", "Status", "Partner · key", "Booking", "Latency", "Correlation id"].map((label) => (
            <Th key={label}>{label}</Th>
          ))}
        </Tr>
      </THead>
      <TBody>
        {requests.map((r) => (
          <Tr key={r.id} data-testid="api-log-row" data-status={r.status} data-code={r.code ?? ""} data-id={r.id} className={cx("hover:bg-slate-50", r.status >= 400 && "bg-red-50/30")}>
            <Td className="whitespace-nowrap text-slate-700">
              <ZonedTime value={r.createdAt} timeZone="UTC" withSeconds />
              <span className="block font-mono text-xs text-slate-500">{r.facilityCode ?? "no facility"}</span>
            </Td>
            <Td className="max-w-96">
              <Link href={apiRequestHref(r.id)} className={cx("block truncate font-mono text-xs font-medium text-indigo-700 hover:underline", focusRing)} title={r.path} data-testid="api-log-open">
                <span className="font-semibold">{r.method}</span> {r.path}
              </Link>
              <span className="block truncate font-mono text-xs text-slate-500" title={r.route}>
                {r.route}
              </span>
            </Td>
            <Td>
              <span className="flex flex-wrap items-center gap-1">
                <Badge tone={httpStatusTone(r.status)}>{r.status}</Badge>
                {r.replayed ? <Badge tone="info">Replayed</Badge> : null}
              </span>
              {r.code ? (
                <Link href={apiLogsHref({ code: r.code })} className={cx("mt-0.5 block font-mono text-xs text-red-800", linkClass)} title={`Every call answered ${r.code}`}>
                  {r.code}
                </Link>
              ) : null}
            </Td>
            <Td className="max-w-40">
              {r.partnerCode ? (
                <Link href={apiLogsHref({ partner: r.partnerCode })} className={cx("block truncate font-medium text-slate-900", linkClass)}>
                  {r.partnerCode}
                </Link>
              ) : (
                <span className="block text-slate-500">{r.source === "payment_webhook" ? "payment provider" : "unknown"}</span>
              )}
              {r.keyPrefix ? <span className="block truncate font-mono text-xs text-slate-500">{r.keyPrefix}…</span> : null}
            </Td>
            <Td className="max-w-36">
              {r.bookingReferences.length ? (
                <Link href={`/bookings/${encodeURIComponent(r.bookingReferences[0]!)}`} className={cx("block truncate font-mono text-xs text-slate-800", linkClass)}>
                  {r.bookingReferences[0]}
                  {r.bookingReferences.length > 1 ? ` +${r.bookingReferences.length - 1}` : ""}
                </Link>
              ) : (
                <span className="text-slate-500">—</span>
              )}
            </Td>
            <Td numeric className="whitespace-nowrap tabular-nums text-slate-700">
              {r.durationMs} ms
            </Td>
            <Td>
              <Link
                href={apiLogsHref({ correlationId: r.correlationId })}
                className={cx("block max-w-28 truncate font-mono text-xs text-slate-700", linkClass)}
                title={`Every call with correlation id ${r.correlationId}`}
              >
                {r.correlationId}
              </Link>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function ListSkeleton() {
  return (
    <div role="status" aria-live="polite" className="space-y-2 p-4" data-testid="api-logs-loading">
      <span className="sr-only">Loading the request log…</span>
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <Skeleton key={i} className="h-9 w-full" />
      ))}
    </div>
  );
}
