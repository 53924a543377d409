"use client";

import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Fragment, useMemo, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Panel } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import type { CsvColumn } from "@/components/ui/csv";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import type { AppRouter } from "@/server/api/root";
import type { inferRouterOutputs } from "@trpc/server";
import { AuditFilters } from "./audit-filters";
import {
  ACTOR_TYPE_LABELS,
  activeFilterCount,
  AUDIT_LIST_LIMIT,
  auditHref,
  auditTargetHref,
  auditTargetLabel,
  filterFromParams,
  RESULT_LABELS,
  targetTypeLabel,
  type FilterKey,
} from "./audit-format";

type AuditEntry = inferRouterOutputs<AppRouter>["audit"]["list"]["entries"][number];


/** Live refresh: new entries appear at the top; the rows already read stay where they are. */
const REFRESH_MS = 15_000;

const RESULT_TONES: Record<AuditEntry["result"], BadgeTone> = { SUCCESS: "success", DENIED: "danger", FAILED: "warning" };

const CSV_COLUMNS: readonly CsvColumn<AuditEntry>[] = [
  { header: "occurred_at", value: (e) => e.occurredAt },
  { header: "actor_type", value: (e) => e.actorType },
  { header: "actor", value: (e) => e.actorLabel },
  { header: "action", value: (e) => e.action },
  { header: "target_type", value: (e) => e.targetType },
  { header: "target_id", value: (e) => e.targetId },
  { header: "target", value: (e) => auditTargetLabel(e) },
  { header: "result", value: (e) => e.result },
  { header: "reason", value: (e) => e.reason },
  { header: "facility", value: (e) => e.facilityCode },
  { header: "ip", value: (e) => e.ip },
  { header: "user_agent", value: (e) => e.userAgent },
  { header: "scope", value: (e) => e.scope },
  { header: "correlation_id", value: (e) => e.correlationId },
  { header: "details", value: (e) => JSON.stringify(e.metadata ?? {}) },
];

/** The audit log: filters in the URL, newest first, "Load older" by keyset, CSV export. */
export function AuditLog({ scopeNote }: { scopeNote: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { params, update } = useUrlState();
  const filter = useMemo(() => filterFromParams(params), [params]);

  const facets = useQuery(trpc.audit.facets.queryOptions(undefined, { staleTime: 60_000 }));
  const list = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { filter, limit: AUDIT_LIST_LIMIT },
      {
        getNextPageParam: (page) => page.nextCursor,
        refetchInterval: REFRESH_MS,
        placeholderData: keepPreviousData,
      },
    ),
  );
  const entries = useMemo(() => list.data?.pages.flatMap((p) => p.entries) ?? [], [list.data]);
  const filtered = activeFilterCount(filter) > 0;

  const change = (patch: Partial<Record<FilterKey, string | null>>) => update(patch);

  return (
    <Panel
      headingId="audit-heading"
      title="Audit log"
      description={
        <>
          Every change and every refusal, newest first. Times are in the facility&apos;s timezone (UTC when there is none); hover for UTC.
          {scopeNote ? <span className="mt-1 block font-medium text-slate-700">{scopeNote}</span> : null}
        </>
      }
      actions={
        <>
          {list.isPlaceholderData ? (
            <span role="status" className="text-xs font-medium text-indigo-700">
              Updating…
            </span>
          ) : list.dataUpdatedAt ? (
            <span className="text-xs text-slate-500" aria-live="off" data-testid="audit-updated">
              Live · updated <ZonedTime value={new Date(list.dataUpdatedAt)} withSeconds className="tabular-nums" />
            </span>
          ) : null}
          <ExportCsvButton
            list="audit"
            columns={CSV_COLUMNS}
            fetchRows={async () => (await queryClient.fetchQuery(trpc.audit.export.queryOptions(filter, { staleTime: 0 }))).entries}
          />
        </>
      }
    >
      <AuditFilters params={params} onChange={change} facets={facets.data} />
      {filtered ? (
        <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-slate-50 px-4 py-2 text-sm text-slate-700">
          <span>
            {activeFilterCount(filter)} filter{activeFilterCount(filter) === 1 ? "" : "s"} applied
          </span>
          <Link href="/audit" className={cx("rounded text-sm font-medium text-indigo-700 underline-offset-2 hover:underline", focusRing)}>
            Clear all
          </Link>
        </div>
      ) : null}
      {list.isError && !list.data ? (
        <ErrorState
          className="m-4"
          title="The audit log could not be loaded"
          message={
            describeError(list.error).code === "BAD_REQUEST"
              ? "These filters cannot be read. Check the dates and ids, or clear the filters."
              : describeError(list.error).message
          }
          correlationId={describeError(list.error).correlationId}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      ) : list.isPending ? (
        <AuditSkeleton />
      ) : entries.length === 0 ? (
        <EmptyState
          className="m-4"
          title={filtered ? "No entries match these filters" : "Nothing has been audited yet"}
          description={filtered ? "Widen the time range or clear a filter." : "Changes and refusals appear here as they happen."}
          action={
            filtered ? (
              <Link href="/audit" className={cx("text-sm font-medium text-indigo-700 underline", focusRing)}>
                Clear all filters
              </Link>
            ) : undefined
          }
        />
      ) : (
        <>
          <div aria-busy={list.isPlaceholderData} className={cx("transition-opacity", list.isPlaceholderData && "opacity-60")}>
            <AuditTable entries={entries} />
          </div>
          <div className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 text-sm text-slate-600">
            <span data-testid="audit-count">
              {entries.length.toLocaleString("en-GB")} {entries.length === 1 ? "entry" : "entries"} shown
              {list.hasNextPage ? " · older entries available" : " · that is all"}
            </span>
            {list.hasNextPage ? (
              <Button variant="secondary" size="sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load older entries"}
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

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Table caption="Audit entries, newest first" className="relative">
      <THead>
        <Tr>
          <Th className="w-10 pr-0">
            <span className="sr-only">Details</span>
          </Th>
          {["Time · facility", "Actor", "Action", "Target", "Result", "Correlation id"].map((label) => (
            <Th key={label}>{label}</Th>
          ))}
        </Tr>
      </THead>
      <TBody>
        {entries.map((entry) => {
          const expanded = open.has(entry.id);
          const detailsId = `audit-details-${entry.id}`;
          return (
            <Fragment key={entry.id}>
              <Tr
                data-testid="audit-row"
                data-result={entry.result}
                data-action={entry.action}
                data-facility={entry.facilityCode ?? ""}
                className={cx("hover:bg-slate-50", entry.result === "DENIED" && "bg-red-50/40", expanded && "bg-slate-50")}
              >
                <Td className="w-10 pr-0">
                  <button
                    type="button"
                    aria-expanded={expanded}
                    aria-controls={detailsId}
                    onClick={() => toggle(entry.id)}
                    title={expanded ? "Hide details" : "Show details"}
                    className={cx("grid h-8 w-8 place-items-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900", focusRing)}
                  >
                    <svg viewBox="0 0 20 20" aria-hidden="true" className={cx("h-4 w-4 transition-transform", expanded && "rotate-90")} fill="none" stroke="currentColor" strokeWidth="2">
                      <path d="M7 4l6 6-6 6" strokeLinecap="round" strokeLinejoin="round" />
                    </svg>
                    <span className="sr-only">
                      Details of {entry.action} at {new Date(entry.occurredAt).toISOString()}
                    </span>
                  </button>
                </Td>
                <Td className="text-slate-700">
                  <ZonedTime value={entry.occurredAt} timeZone={entry.facilityTimezone} withSeconds />
                  <span className="block font-mono text-xs text-slate-500">{entry.facilityCode ?? "no facility"}</span>
                </Td>
                <Td className="max-w-44">
                  <span className="block text-xs text-slate-500">{ACTOR_TYPE_LABELS[entry.actorType]}</span>
                  <Link
                    href={auditHref({ actor: entry.actorLabel })}
                    className={cx("block truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline", focusRing)}
                    title={`Show everything by ${entry.actorLabel}`}
                  >
                    {entry.actorLabel}
                  </Link>
                </Td>
                <Td className="max-w-40">
                  <code className="block truncate font-mono text-xs text-slate-800" title={entry.action}>
                    {entry.action}
                  </code>
                </Td>
                <Td className="max-w-48">
                  <TargetCell entry={entry} />
                </Td>
                <Td>
                  <Badge tone={RESULT_TONES[entry.result]}>{RESULT_LABELS[entry.result]}</Badge>
                </Td>
                <Td>
                  {entry.correlationId ? (
                    <span className="flex items-center gap-1.5">
                      <Link
                        href={auditHref({ correlationId: entry.correlationId })}
                        className={cx("block max-w-24 truncate font-mono text-xs text-slate-700 hover:text-indigo-700 hover:underline", focusRing)}
                        title={`Everything with correlation id ${entry.correlationId}`}
                      >
                        {entry.correlationId}
                      </Link>
                      <CopyButton value={entry.correlationId} label="Copy" />
                    </span>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </Td>
              </Tr>
              {expanded ? (
                <tr id={detailsId} className="bg-slate-50">
                  <td colSpan={7} className="border-t border-dashed border-slate-200 px-4 py-3">
                    <EntryDetails entry={entry} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </TBody>
    </Table>
  );
}

function TargetCell({ entry }: { entry: AuditEntry }) {
  const href = auditTargetHref(entry);
  const label = auditTargetLabel(entry);
  return (
    <span className="block min-w-0">
      <span className="block text-xs text-slate-500">{targetTypeLabel(entry.targetType)}</span>
      {href ? (
        <Link
          href={href}
          className={cx("block truncate font-medium text-indigo-700 hover:underline", focusRing)}
          title={entry.targetId ?? undefined}
          data-testid="audit-target-link"
        >
          {label}
        </Link>
      ) : (
        <span className="block truncate font-mono text-xs text-slate-800" title={entry.targetId ?? undefined}>
          {label}
        </span>
      )}
    </span>
  );
}

function EntryDetails({ entry }: { entry: AuditEntry }) {
  const rows: [string, string | null][] = [
    ["Reason", entry.reason],
    ["Target id", entry.targetId],
    ["IP address", entry.ip],
    ["User agent", entry.userAgent],
    ["API key scopes", entry.scope],
    ["Correlation id", entry.correlationId],
    ["Entry id", entry.id],
  ];
  const metadata = entry.metadata && typeof entry.metadata === "object" ? entry.metadata : {};
  const json = JSON.stringify(metadata, null, 2);
  const empty = Object.keys(metadata).length === 0;
  return (
    <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]" data-testid="audit-details">
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className={cx("break-words", value ? "text-slate-900" : "text-slate-500", value && (label === "Correlation id" || label === "Target id") && "font-mono text-xs leading-5")}>{value ?? "—"}</dd>
          </Fragment>
        ))}
        <dt className="font-medium text-slate-600">Time (UTC)</dt>
        <dd className="font-mono text-xs text-slate-900">{new Date(entry.occurredAt).toISOString()}</dd>
      </dl>
      <div className="min-w-0">
        <div className="mb-1 flex items-center justify-between gap-2">
          <span className="text-sm font-medium text-slate-600">Details</span>
          {empty ? null : <CopyButton value={json} label="Copy JSON" />}
        </div>
        {empty ? (
          <p className="rounded-md border border-dashed border-slate-300 bg-white px-3 py-2 text-sm text-slate-600">No details were recorded with this entry.</p>
        ) : (
          <pre className="max-h-72 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">{json}</pre>
        )}
      </div>
    </div>
  );
}

function AuditSkeleton() {
  return (
    <div role="status" aria-live="polite" className="space-y-3 p-4" data-testid="audit-loading">
      <span className="sr-only">Loading the audit log…</span>
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-6 w-full" />
      ))}
    </div>
  );
}
