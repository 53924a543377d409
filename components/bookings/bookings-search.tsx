"use client";

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Countdown } from "@/components/ui/countdown";
import type { CsvColumn } from "@/components/ui/csv";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { focusRing } from "@/components/ui/focus";
import { Input, Select } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import type { AppRouter } from "@/server/api/root";
import { BOOKING_STATUS_OPTIONS, BOOKINGS_PAGE_SIZE, bookingStatus, filterFromParams, hasFilters, matchLabel, searchInput } from "./format";

type Row = inferRouterOutputs<AppRouter>["bookings"]["search"]["items"][number];

const BOOKINGS_REFRESH_MS = 30_000;

const CSV_COLUMNS: readonly CsvColumn<Row>[] = [
  { header: "reference", value: (r) => r.reference },
  { header: "status", value: (r) => r.status.toLowerCase() },
  { header: "facility_code", value: (r) => r.facilityCode },
  { header: "unit_code", value: (r) => r.unitCode },
  { header: "unit_type_code", value: (r) => r.unitTypeCode },
  { header: "partner_code", value: (r) => r.partnerCode },
  { header: "partner_booking_reference", value: (r) => r.partnerBookingReference },
  { header: "customer_name", value: (r) => r.customerName },
  { header: "customer_email", value: (r) => r.customerEmail },
  { header: "move_in_date", value: (r) => r.moveInDate },
  { header: "hold_expires_at", value: (r) => r.holdExpiresAt },
  { header: "inventory_version", value: (r) => r.inventoryVersion },
  { header: "cancel_reason", value: (r) => r.cancelReason },
  { header: "created_at", value: (r) => r.createdAt },
  { header: "last_event_at", value: (r) => r.lastEventAt },
];

/** /bookings: one search box, filters in the URL, a keyset-paged list that refreshes itself. */
export function BookingsSearch() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const filter = filterFromParams(params);
  const input = searchInput(filter);

  const query = useInfiniteQuery(
    trpc.bookings.search.infiniteQueryOptions(input, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      refetchInterval: BOOKINGS_REFRESH_MS,
      refetchIntervalInBackground: false,
      placeholderData: keepPreviousData,
    }),
  );
  const options = useQuery(trpc.bookings.filterOptions.queryOptions(undefined, { staleTime: 5 * 60_000 }));

  const rows = query.data?.pages.flatMap((page) => page.items) ?? [];
  const searching = Boolean(filter.q);
  const filtered = hasFilters(params);

  return (
    <div className="space-y-4">
      <SearchBox
        // a new search in the URL (back button, a link) starts the box afresh
        key={params.q ?? ""}
        value={params.q ?? ""}
        onSearch={(q) => update({ q: q.trim() || null }, { push: true })}
      />
      <Filters
        params={params}
        update={(patch) => update(patch)}
        facilities={options.data?.facilities ?? []}
        partners={options.data?.partners ?? []}
      />
      <Card aria-labelledby="bookings-results">
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
          <div className="min-w-0">
            <h2 id="bookings-results" className="text-base font-semibold text-slate-900">
              {searching ? <>Results for “{filter.q}”</> : "Bookings"}
            </h2>
            <p className="text-xs text-slate-600" aria-live="polite" data-testid="bookings-count">
              {query.isPending
                ? "Loading…"
                : query.isError && rows.length === 0
                  ? "Not loaded"
                  : `${rows.length}${query.hasNextPage ? "+" : ""} booking${rows.length === 1 ? "" : "s"}${searching ? ", exact matches first" : ", newest first"}`}
              {query.isFetching && !query.isPending ? " · refreshing" : ""}
            </p>
          </div>
          <ExportCsvButton
            list="bookings"
            columns={CSV_COLUMNS}
            fetchRows={async () => {
              const result = await queryClient.fetchQuery(trpc.bookings.export.queryOptions({ filter }, { staleTime: 0 }));
              return result.rows;
            }}
          />
        </header>
        {query.isPending ? (
          <ListSkeleton />
        ) : query.isError && rows.length === 0 ? (
          <div className="p-4">
            <ErrorState
              title="Bookings could not be loaded"
              message={listErrorMessage(query.error)}
              correlationId={describeError(query.error).correlationId}
              onRetry={() => void query.refetch()}
              retrying={query.isFetching}
            />
            {filtered ? (
              <Button variant="secondary" size="sm" className="mt-3" onClick={() => update(clearAll())}>
                Clear search and filters
              </Button>
            ) : null}
          </div>
        ) : rows.length === 0 ? (
          <div className="p-4">
            <EmptyState
              title={searching ? "No booking matches that" : "No bookings"}
              description={
                searching
                  ? "The box finds a booking by reference, partner reference, unit code, customer name or email, correlation id, event or delivery id, or idempotency key. Check the filters too."
                  : filtered
                    ? "No booking matches these filters."
                    : "Bookings appear here as partners hold units."
              }
              action={
                filtered ? (
                  <Button variant="secondary" onClick={() => update(clearAll())}>
                    Clear search and filters
                  </Button>
                ) : undefined
              }
            />
          </div>
        ) : (
          <>
            <BookingsTable rows={rows} searching={searching} />
            <footer className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-xs text-slate-600">
              <span>
                Showing {rows.length} · refreshes every {BOOKINGS_REFRESH_MS / 1000} s
                {query.isError ? <span className="ml-2 font-medium text-amber-900">Last refresh failed; retrying.</span> : null}
              </span>
              {query.hasNextPage ? (
                <Button variant="secondary" size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                  {query.isFetchingNextPage ? "Loading…" : `Load ${BOOKINGS_PAGE_SIZE} more`}
                </Button>
              ) : (
                <span>End of the list</span>
              )}
            </footer>
          </>
        )}
      </Card>
    </div>
  );
}

const FIELD_LABELS: Record<string, string> = {
  "filter.q": "Search",
  "filter.status": "Status",
  "filter.facilityCode": "Facility",
  "filter.partnerCode": "Partner",
  "filter.createdFrom": "Created from",
  "filter.createdTo": "Created to",
  "filter.moveInFrom": "Move-in from",
  "filter.moveInTo": "Move-in to",
  cursor: "Page",
};

/** A refused search names the filters to fix; anything else says what the server said. */
function listErrorMessage(error: unknown): string {
  const fieldErrors = error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>).data?.fieldErrors : null;
  if (fieldErrors?.length) {
    const fields = fieldErrors.map((f) => `${FIELD_LABELS[f.path] ?? (FIELD_LABELS[f.path.replace(/\.\d+$/, "")] || f.path || "Filters")}: ${f.message}`);
    return `Check the search and filters. ${fields.join(" ")}`;
  }
  return describeError(error).message;
}

function clearAll(): Record<string, null> {
  return { q: null, status: null, facility: null, partner: null, createdFrom: null, createdTo: null, moveInFrom: null, moveInTo: null };
}

function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(text);
  }
  return (
    <form role="search" onSubmit={submit} className="flex flex-wrap items-end gap-2">
      <div className="min-w-0 flex-1">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          Find a booking
        </label>
        <Input
          id={id}
          type="search"
          name="q"
          controlSize="lg"
          className="mt-1 font-mono"
          placeholder="BK-7F3K2Q, partner reference, unit, name, email, correlation id, evt_…, idempotency key"
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={200}
          autoComplete="off"
          spellCheck={false}
          data-shortcut="search"
          aria-describedby={`${id}-hint`}
        />
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          One box for every key: press <kbd className="rounded border border-slate-300 px-1 font-mono">/</kbd> to jump here, Enter to search.
        </p>
      </div>
      <div className="flex gap-2 pb-5">
        <Button type="submit">Search</Button>
        {value ? (
          <Button
            variant="secondary"
            onClick={() => {
              setText("");
              onSearch("");
            }}
          >
            Clear
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function Filters({
  params,
  update,
  facilities,
  partners,
}: {
  params: Record<string, string>;
  update: (patch: Record<string, string | null>) => void;
  facilities: { code: string; name: string }[];
  partners: { code: string; name: string }[];
}) {
  const id = useId();
  const label = "block text-xs font-medium text-slate-700";
  return (
    <fieldset className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <legend className="sr-only">Filters</legend>
      <div className="w-36">
        <label htmlFor={`${id}-status`} className={label}>
          Status
        </label>
        <Select id={`${id}-status`} className="mt-1" value={params.status ?? ""} onChange={(e) => update({ status: e.target.value || null })}>
          <option value="">Any status</option>
          {BOOKING_STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </div>
      <div className="w-60">
        <label htmlFor={`${id}-facility`} className={label}>
          Facility
        </label>
        <Select id={`${id}-facility`} className="mt-1" value={params.facility ?? ""} onChange={(e) => update({ facility: e.target.value || null })}>
          <option value="">Any facility</option>
          {facilities.map((f) => (
            <option key={f.code} value={f.code}>
              {f.code} · {f.name}
            </option>
          ))}
          {params.facility && !facilities.some((f) => f.code === params.facility) ? <option value={params.facility}>{params.facility}</option> : null}
        </Select>
      </div>
      <div className="w-40">
        <label htmlFor={`${id}-partner`} className={label}>
          Partner
        </label>
        <Select id={`${id}-partner`} className="mt-1" value={params.partner ?? ""} onChange={(e) => update({ partner: e.target.value || null })}>
          <option value="">Any partner</option>
          {partners.map((p) => (
            <option key={p.code} value={p.code}>
              {p.code}
            </option>
          ))}
          {params.partner && !partners.some((p) => p.code === params.partner) ? <option value={params.partner}>{params.partner}</option> : null}
        </Select>
      </div>
      <DateRange id={`${id}-created`} legend="Created (UTC)" from="createdFrom" to="createdTo" params={params} update={update} />
      <DateRange id={`${id}-movein`} legend="Move-in" from="moveInFrom" to="moveInTo" params={params} update={update} />
      {hasFilters({ ...params, q: undefined }) ? (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => update({ status: null, facility: null, partner: null, createdFrom: null, createdTo: null, moveInFrom: null, moveInTo: null })}
        >
          Reset filters
        </Button>
      ) : null}
    </fieldset>
  );
}

function DateRange({
  id,
  legend,
  from,
  to,
  params,
  update,
}: {
  id: string;
  legend: string;
  from: string;
  to: string;
  params: Record<string, string>;
  update: (patch: Record<string, string | null>) => void;
}) {
  return (
    <div role="group" aria-labelledby={`${id}-legend`}>
      <span id={`${id}-legend`} className="block text-xs font-medium text-slate-700">
        {legend}
      </span>
      <div className="mt-1 flex items-center gap-1">
        <Input
          type="date"
          aria-label={`${legend} from`}
          className="w-36"
          value={params[from] ?? ""}
          onChange={(e) => update({ [from]: e.target.value || null })}
        />
        <span className="text-slate-500" aria-hidden="true">
          –
        </span>
        <Input type="date" aria-label={`${legend} to`} className="w-36" value={params[to] ?? ""} onChange={(e) => update({ [to]: e.target.value || null })} />
      </div>
    </div>
  );
}

function BookingsTable({ rows, searching }: { rows: Row[]; searching: boolean }) {
  // with a search, each reference says which key matched
  return (
    <Table caption="Bookings" data-testid="bookings-table">
      <THead>
        <Tr>
          <Th>Reference</Th>
          <Th>Status</Th>
          <Th>Facility · unit</Th>
          <Th>Partner</Th>
          <Th>Customer</Th>
          <Th>Move-in</Th>
          <Th>Created</Th>
        </Tr>
      </THead>
      <TBody>
        {rows.map((row) => {
          const status = bookingStatus(row.status);
          return (
            <Tr key={row.id} data-testid="booking-row" data-reference={row.reference} className="hover:bg-slate-50">
              <Td className="whitespace-nowrap">
                <Link href={`/bookings/${row.reference}`} className={cx("rounded-sm font-mono font-medium text-indigo-800 hover:underline", focusRing)}>
                  {row.reference}
                </Link>
                {searching ? (
                  <div className="mt-1 flex flex-wrap gap-1" aria-label="Matched on">
                    {row.matchedBy.map((kind) => (
                      <Badge key={kind} tone={row.exact ? "success" : "neutral"} title={row.exact ? "Exact match" : "Partial match"}>
                        {matchLabel(kind)}
                      </Badge>
                    ))}
                  </div>
                ) : null}
              </Td>
              <Td className="whitespace-nowrap">
                <div className="flex items-center gap-2">
                  <Badge tone={status.tone}>{status.label}</Badge>
                  {row.status === "TENTATIVE" ? (
                    <span className="text-xs text-slate-600">
                      <Countdown until={row.holdExpiresAt} className="tabular-nums" /> left
                    </span>
                  ) : null}
                </div>
              </Td>
              <Td className="whitespace-nowrap">
                <span className="font-mono">{row.facilityCode}</span>
                <span className="mx-1 text-slate-400">·</span>
                <span className="font-mono">{row.unitCode}</span>
                <span className="ml-1 text-xs text-slate-500">{row.unitTypeCode}</span>
              </Td>
              <Td>
                <div className="font-medium">{row.partnerCode}</div>
                <div className="font-mono text-xs whitespace-nowrap text-slate-600">{row.partnerBookingReference}</div>
              </Td>
              <Td className="max-w-52">
                <div className="truncate">{row.customerName}</div>
                <div className="truncate text-xs text-slate-600">{row.customerEmail}</div>
              </Td>
              <Td className="text-xs whitespace-nowrap tabular-nums">{row.moveInDate}</Td>
              <Td>
                <ZonedTime value={row.createdAt} timeZone={row.facilityTimezone} className="text-xs whitespace-nowrap text-slate-700 tabular-nums" />
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}

function ListSkeleton() {
  return (
    <div className="space-y-3 p-4" aria-busy="true" aria-label="Loading bookings">
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-6 w-full" />
      ))}
    </div>
  );
}
