"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { Field, Input, Select } from "@/components/ui/form";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { useUrlState } from "@/components/ui/use-url-state";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import type { AppRouter } from "@/server/api/root";
import { bucketCaption, bucketLabel, csvValue, formatKpiValue, UNIT_SUFFIX } from "./format";
import { KpiChart, type ChartRow } from "./kpi-chart";
import { RefusalsCard } from "./refusals-card";
import { customRangeProblem, kpiInputFromParams, RANGE_OPTIONS } from "./params";

type Dashboard = inferRouterOutputs<AppRouter>["kpis"]["dashboard"];
type Kpi = Dashboard["kpis"][number];

const KPI_REFRESH_MS = 60_000;

/** /kpis: filters in the URL, one card per KPI with its chart, definition and CSV export. */
export function KpisDashboard() {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const input = kpiInputFromParams(params);
  const filters = useQuery(trpc.kpis.filters.queryOptions());
  const query = useQuery(
    trpc.kpis.dashboard.queryOptions(input, {
      refetchInterval: KPI_REFRESH_MS,
      refetchIntervalInBackground: false,
      placeholderData: keepPreviousData,
    }),
  );

  return (
    <div className="space-y-6">
      <KpiFilters
        params={params}
        update={update}
        facilities={filters.data?.facilities ?? []}
        partners={filters.data?.partners ?? []}
        fetching={query.isFetching}
      />
      {query.isPending ? (
        <KpisSkeleton />
      ) : query.isError && !query.data ? (
        <ErrorState
          title="KPIs could not be loaded"
          message={describeError(query.error).message}
          correlationId={describeError(query.error).correlationId}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : query.data ? (
        <KpiGrid dashboard={query.data} />
      ) : null}
    </div>
  );
}

function KpiFilters({
  params,
  update,
  facilities,
  partners,
  fetching,
}: {
  params: Record<string, string>;
  update: ReturnType<typeof useUrlState>["update"];
  facilities: { code: string; name: string; timezone: string }[];
  partners: { code: string; name: string }[];
  fetching: boolean;
}) {
  const range = kpiInputFromParams(params).range;
  const customAsked = params.range === "custom";
  const problem = customRangeProblem(params);
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(params.from ?? "");
  const [to, setTo] = useState(params.to ?? today);
  return (
    <Card aria-label="KPI filters" className="px-4 py-4">
      <div className="flex flex-wrap items-end gap-x-6 gap-y-4">
        <Field id="kpi-facility" label="Facility">
          <Select
            id="kpi-facility"
            value={params.facility ?? ""}
            onChange={(event) => update({ facility: event.target.value || null })}
            className="min-w-48"
          >
            <option value="">{facilities.length === 1 ? "My facility" : "All facilities"}</option>
            {facilities.map((facility) => (
              <option key={facility.code} value={facility.code}>
                {facility.code} · {facility.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="kpi-partner" label="Partner">
          <Select
            id="kpi-partner"
            value={params.partner ?? ""}
            onChange={(event) => update({ partner: event.target.value || null })}
            className="min-w-40"
          >
            <option value="">All partners</option>
            {partners.map((partner) => (
              <option key={partner.code} value={partner.code}>
                {partner.code}
              </option>
            ))}
          </Select>
        </Field>
        <fieldset>
          <legend className="block text-sm font-medium text-slate-800">Range</legend>
          <div className="mt-1 inline-flex rounded-md shadow-sm" role="group">
            {RANGE_OPTIONS.map((option, i) => {
              const selected = customAsked ? option.value === "custom" : option.value === range;
              return (
                <button
                  key={option.value}
                  type="button"
                  aria-pressed={selected}
                  onClick={() =>
                    option.value === "custom"
                      ? update({ range: "custom", from: from || null, to: to || null })
                      : update({ range: option.value, from: null, to: null })
                  }
                  className={cx(
                    "h-9 border border-slate-300 px-3 text-sm font-medium",
                    i === 0 ? "rounded-l-md" : "-ml-px",
                    i === RANGE_OPTIONS.length - 1 && "rounded-r-md",
                    selected ? "z-10 border-indigo-700 bg-indigo-700 text-white" : "bg-white text-slate-800 hover:bg-slate-50",
                    focusRing,
                  )}
                >
                  {option.label}
                </button>
              );
            })}
          </div>
        </fieldset>
        {customAsked ? (
          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              update({ range: "custom", from: from || null, to: to || null });
            }}
          >
            <Field id="kpi-from" label="First day (UTC)">
              <Input id="kpi-from" type="date" value={from} max={today} onChange={(event) => setFrom(event.target.value)} required />
            </Field>
            <Field id="kpi-to" label="Last day (UTC)">
              <Input id="kpi-to" type="date" value={to} max={today} onChange={(event) => setTo(event.target.value)} required />
            </Field>
            <Button type="submit" variant="secondary" size="sm" className="mb-0.5">
              Apply
            </Button>
          </form>
        ) : null}
        <span className={cx("ml-auto self-center text-xs text-slate-600", !fetching && "invisible")} aria-live="polite">
          Updating…
        </span>
      </div>
      {problem ? (
        <p className="mt-3 text-sm font-medium text-amber-900" data-testid="range-problem">
          {problem} Showing the last 7 days meanwhile.
        </p>
      ) : null}
      <p className="mt-3 text-xs text-slate-600">
        Up to 7 days are drawn in hourly buckets, longer ranges in daily ones. Filters live in the address bar, so this view can be
        shared as a link.
      </p>
    </Card>
  );
}

function KpiGrid({ dashboard }: { dashboard: Dashboard }) {
  const allEmpty = dashboard.kpis.every((kpi) => !kpi.available || kpi.empty);
  const available = dashboard.kpis.filter((kpi) => kpi.available);
  const unavailable = dashboard.kpis.filter((kpi) => !kpi.available);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm text-slate-700">
        <p>
          <span className="font-medium text-slate-900">
            {dashboard.facility ? `${dashboard.facility.code} · ${dashboard.facility.name}` : dashboard.scoped ? "Your facilities" : "All facilities"}
          </span>
          {" · "}
          {dashboard.partner ? `partner ${dashboard.partner.code}` : "all partners"}
          {" · "}
          {bucketLabel(dashboard.start, dashboard.bucketSize, dashboard.timezone, { long: true })} –{" "}
          {bucketLabel(new Date(new Date(dashboard.end).getTime() - 1), dashboard.bucketSize, dashboard.timezone, { long: true })}
        </p>
        <p className="text-xs text-slate-600" data-testid="rollup-status" suppressHydrationWarning>
          {dashboard.rollup
            ? `Counted up to ${bucketLabel(dashboard.rollup.watermark, "HOUR", dashboard.timezone, { long: true })} ${
                dashboard.timezone === "UTC" ? "UTC" : dashboard.timezone
              } · refreshes every minute`
            : "The KPI roll-up has not run yet: the worker runs it every minute."}
        </p>
      </div>
      {allEmpty ? (
        <EmptyState
          title="Nothing counted in this range yet"
          description="Widen the range or clear a filter. New activity appears here within a minute of the roll-up."
        />
      ) : null}
      <div className="grid gap-4 xl:grid-cols-2">
        {available.map((kpi) => (
          <KpiCard key={kpi.key} kpi={kpi} dashboard={dashboard} />
        ))}
        <RefusalsCard from={dashboard.start} to={dashboard.end} facility={dashboard.facility?.code ?? null} partner={dashboard.partner?.code ?? null} />
      </div>
      {unavailable.length ? <UnavailableKpis kpis={unavailable} /> : null}
    </div>
  );
}

/** KPIs the filters exclude (not recorded per facility or partner), with why — compact, after the charts. */
function UnavailableKpis({ kpis }: { kpis: Kpi[] }) {
  return (
    <Card aria-labelledby="kpis-unavailable" data-testid="kpis-unavailable">
      <CardHeader
        id="kpis-unavailable"
        title="Not shown for this selection"
        description="These KPIs are not recorded per facility or per partner, so this view cannot show them; each says why."
      />
      <ul className="divide-y divide-slate-200">
        {kpis.map((kpi) => (
          <li key={kpi.key} className="px-4 py-3" data-testid="kpi-card" data-kpi={kpi.key}>
            <p className="text-sm font-semibold text-slate-900">
              {kpi.title} <span className="ml-2 text-sm font-normal text-slate-700">{kpi.unavailableReason}</span>
            </p>
            <p className="mt-1 text-xs leading-relaxed text-slate-600" data-testid="kpi-definition">
              <span className="font-semibold text-slate-700">Definition. </span>
              {kpi.definition}
            </p>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function rowsOf(kpi: Kpi, dashboard: Dashboard): ChartRow[] {
  return kpi.points.map((point) => ({
    label: bucketLabel(point.bucketStart, dashboard.bucketSize, dashboard.timezone),
    ...point.values,
  }));
}

function KpiCard({ kpi, dashboard }: { kpi: Kpi; dashboard: Dashboard }) {
  const headingId = `kpi-${kpi.key}`;
  const plotted = kpi.fields.filter((field) => field.plotted);
  const zoneLabel = dashboard.bucketSize === "DAY" ? "UTC day" : dashboard.timezone;
  return (
    <Card aria-labelledby={headingId} data-testid="kpi-card" data-kpi={kpi.key}>
      <CardHeader
        id={headingId}
        as="h2"
        title={kpi.title}
        description={
          <span className="flex items-baseline gap-2">
            <span className="text-xl font-semibold text-slate-900 tabular-nums" data-testid="kpi-summary">
              {formatKpiValue(kpi.summary.value, kpi.summary.unit)}
            </span>
            <span className="text-xs text-slate-600">{kpi.summary.label}</span>
          </span>
        }
        actions={
          <ExportCsvButton
            list={`kpi-${kpi.key.replaceAll("_", "-")}`}
            label="CSV"
            columns={[
              { header: "bucket_start_utc", value: (point: Kpi["points"][number]) => new Date(point.bucketStart).toISOString() },
              {
                header: `bucket (${zoneLabel})`,
                value: (point: Kpi["points"][number]) => bucketLabel(point.bucketStart, dashboard.bucketSize, dashboard.timezone, { long: true }),
              },
              ...kpi.fields.map((field) => ({
                header: `${field.label} (${UNIT_SUFFIX[field.unit]})`,
                value: (point: Kpi["points"][number]) => csvValue(point.values[field.key], field.unit),
              })),
            ]}
            fetchRows={async () => kpi.points}
          />
        }
      />
      <div className="space-y-3 px-4 py-4">
        <p className="text-xs leading-relaxed text-slate-700" data-testid="kpi-definition">
          <span className="font-semibold text-slate-800">Definition. </span>
          {kpi.definition}
        </p>
        {kpi.empty ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-600" data-testid="kpi-empty">
            Nothing counted in this range.
          </p>
        ) : (
          <>
            <KpiChart kind={kpi.chart} stacked={kpi.stacked} rows={rowsOf(kpi, dashboard)} fields={plotted} title={kpi.title} />
            <p className="text-xs text-slate-500">{bucketCaption(dashboard.bucketSize, dashboard.timezone)}</p>
          </>
        )}
      </div>
    </Card>
  );
}

function KpisSkeleton() {
  return (
    <div role="status" aria-live="polite" className="grid gap-4 xl:grid-cols-2" data-testid="kpis-loading">
      <span className="sr-only">Loading KPIs…</span>
      {[0, 1, 2, 3].map((card) => (
        <div key={card} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          <Skeleton className="h-5 w-56" />
          <Skeleton className="mt-2 h-4 w-80" />
          <Skeleton className="mt-4 h-48 w-full" />
        </div>
      ))}
    </div>
  );
}
