"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useId, useState } from "react";
import { failureSummary, useConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { Dialog, DialogActions, DialogBody, DialogForm } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { focusRing } from "@/components/ui/focus";
import { Checkbox, Field, FormAlert, Select } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { applyCorrectionAction, resolveDiscrepancyAction } from "@/server/actions/drift";
import type { AppRouter } from "@/server/api/root";
import { DISCREPANCY_KINDS, DISCREPANCY_STATUSES, SEVERITIES, type DiscrepancyKind } from "@/shared/discrepancy-kinds";
import {
  comparedKeys,
  fieldLabel,
  formatRunDuration,
  formatValue,
  isTimestamp,
  KIND_LABELS,
  sameValue,
  scannedText,
  SEVERITY_TONE,
  STATUS_TONE,
} from "./format";

type Detail = inferRouterOutputs<AppRouter>["drift"]["run"];
type Discrepancy = Detail["discrepancies"][number];

const FILTERS = ["facility", "kind", "status", "severity"] as const;

const DISCREPANCY_CSV = [
  { header: "id", value: (d: Discrepancy) => d.id },
  { header: "facility", value: (d: Discrepancy) => d.facility?.code ?? null },
  { header: "kind", value: (d: Discrepancy) => d.kind },
  { header: "severity", value: (d: Discrepancy) => d.severity },
  { header: "status", value: (d: Discrepancy) => d.status },
  { header: "summary", value: (d: Discrepancy) => d.summary },
  { header: "unit_type", value: (d: Discrepancy) => d.unitTypeCode },
  { header: "unit", value: (d: Discrepancy) => d.unitCode },
  { header: "booking", value: (d: Discrepancy) => d.bookingReference },
  { header: "partner", value: (d: Discrepancy) => d.partner?.code ?? null },
  { header: "endpoint", value: (d: Discrepancy) => d.endpoint?.id ?? null },
  { header: "expected", value: (d: Discrepancy) => JSON.stringify(d.expected) },
  { header: "actual", value: (d: Discrepancy) => JSON.stringify(d.actual) },
  { header: "first_found_at", value: (d: Discrepancy) => new Date(d.createdAt) },
  { header: "last_seen_at", value: (d: Discrepancy) => new Date(d.lastSeenAt) },
  { header: "resolved_at", value: (d: Discrepancy) => (d.resolvedAt ? new Date(d.resolvedAt) : null) },
  { header: "resolved_by", value: (d: Discrepancy) => d.resolvedBy },
  { header: "resolution", value: (d: Discrepancy) => d.resolution },
];

/** /drift/{run id}: what the run scanned and its discrepancies by facility and kind, with their actions. */
export function RunDetail({ runId, canRun }: { runId: string; canRun: boolean }) {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const input = {
    runId,
    ...(params.facility ? { facility: params.facility } : {}),
    ...(DISCREPANCY_KINDS.includes(params.kind as DiscrepancyKind) ? { kind: params.kind as DiscrepancyKind } : {}),
    ...(DISCREPANCY_STATUSES.includes(params.status as never) ? { status: params.status as (typeof DISCREPANCY_STATUSES)[number] } : {}),
    ...(SEVERITIES.includes(params.severity as never) ? { severity: params.severity as (typeof SEVERITIES)[number] } : {}),
  };
  const query = useQuery(
    trpc.drift.run.queryOptions(input, {
      placeholderData: keepPreviousData,
      refetchInterval: (q) => (q.state.data?.run.status === "RUNNING" ? 2_000 : 15_000),
      refetchIntervalInBackground: false,
    }),
  );

  if (query.isPending) return <DetailSkeleton />;
  if (query.isError && !query.data) {
    return (
      <QueryErrorState title="This run could not be loaded" query={query} />
    );
  }
  const data = query.data!;
  const { run } = data;
  const filtered = FILTERS.some((f) => params[f]);
  const groups = groupByFacilityAndKind(data.discrepancies);

  return (
    <div className="space-y-6">
      <Card aria-labelledby="run-summary">
        <CardHeader
          id="run-summary"
          title={
            <span className="flex flex-wrap items-center gap-2">
              <span>{run.trigger === "MANUAL" ? `Manual run by ${run.requestedBy ?? "a user"}` : "Scheduled run"}</span>
              <Badge tone={STATUS_TONE[run.status]}>{run.status === "RUNNING" && run.summary.phase === "queued" ? "QUEUED" : run.status}</Badge>
            </span>
          }
          description={
            <>
              Started <ZonedTime value={run.startedAt} withSeconds /> · took {formatRunDuration(run.startedAt, run.finishedAt)} · checks:{" "}
              {run.checks.join(", ")}
            </>
          }
          actions={<ExportCsvButton list={`drift-${run.id}`} columns={DISCREPANCY_CSV} fetchRows={async () => data.discrepancies} />}
        />
        <CardBody className="space-y-2 text-sm text-slate-700">
          <p data-testid="run-scanned">Scanned: {scannedText(run.summary.scanned) || "—"}</p>
          {run.status === "SUCCEEDED" ? (
            <p>
              Found <strong>{run.discrepancyCount}</strong> ({run.summary.opened ?? 0} new, {run.summary.stillOpen ?? 0} still open from earlier runs);{" "}
              {run.summary.cleared ?? 0} earlier ones no longer found; {run.summary.autoCorrected ?? 0} corrected automatically. Corrections beyond a
              tolerance of {data.tolerance}, and every access or booking change, need an ops lead&apos;s approval.
            </p>
          ) : run.status === "FAILED" ? (
            <FormAlert title="The run failed" message={run.error ?? "Unknown error"} />
          ) : (
            <p role="status">This run is in progress; its findings appear when it finishes.</p>
          )}
        </CardBody>
      </Card>

      <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filters">
        <FilterSelect label="Facility" value={params.facility} onChange={(v) => update({ facility: v })} options={data.facets.facilities.map((f) => ({ value: f, label: f }))} />
        <FilterSelect
          label="Kind"
          value={params.kind}
          onChange={(v) => update({ kind: v })}
          options={data.facets.kinds.map((k) => ({ value: k.kind, label: `${KIND_LABELS[k.kind]} (${k.count})` }))}
        />
        <FilterSelect
          label="Status"
          value={params.status}
          onChange={(v) => update({ status: v })}
          options={data.facets.statuses.map((s) => ({ value: s.status, label: `${s.status.toLowerCase()} (${s.count})` }))}
        />
        <FilterSelect label="Severity" value={params.severity} onChange={(v) => update({ severity: v })} options={SEVERITIES.map((s) => ({ value: s, label: s.toLowerCase() }))} />
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={() => update({ facility: null, kind: null, status: null, severity: null })}>
            Clear filters
          </Button>
        ) : null}
        <span className="text-xs text-slate-600" aria-live="polite">
          {data.discrepancies.length} of {data.total} shown{data.truncated ? " (the first 5,000)" : ""}
        </span>
      </div>

      {data.discrepancies.length === 0 ? (
        <EmptyState
          title={data.total === 0 ? (run.status === "SUCCEEDED" ? "No drift found" : "Nothing found yet") : "Nothing matches these filters"}
          description={
            data.total === 0
              ? "Counters, unit statuses, partner views and access grants all agreed with the facts when this run looked."
              : "Change or clear the filters to see this run's other discrepancies."
          }
        />
      ) : (
        groups.map((group) => (
          <section key={group.facility} aria-labelledby={`fac-${group.facility}`} className="space-y-3" data-testid="facility-group">
            <h2 id={`fac-${group.facility}`} className="text-lg font-semibold text-slate-900">
              {group.facility === "—" ? "No facility" : group.facility}
              {group.name ? <span className="ml-2 text-sm font-normal text-slate-600">{group.name}</span> : null}
            </h2>
            {group.kinds.map(({ kind, items }) => (
              <Card key={kind} aria-label={`${group.facility} · ${KIND_LABELS[kind]}`}>
                <CardHeader as="h3" title={`${KIND_LABELS[kind]} · ${items.length}`} className="py-3" />
                <ul className="divide-y divide-slate-100">
                  {items.map((d) => (
                    <DiscrepancyItem key={d.id} d={d} canRun={canRun} runId={run.id} />
                  ))}
                </ul>
              </Card>
            ))}
          </section>
        ))
      )}
    </div>
  );
}

function groupByFacilityAndKind(items: Discrepancy[]) {
  const groups: { facility: string; name: string | null; kinds: { kind: DiscrepancyKind; items: Discrepancy[] }[] }[] = [];
  for (const d of items) {
    const code = d.facility?.code ?? "—";
    let group = groups.find((g) => g.facility === code);
    if (!group) groups.push((group = { facility: code, name: d.facility?.name ?? null, kinds: [] }));
    let kind = group.kinds.find((k) => k.kind === d.kind);
    if (!kind) group.kinds.push((kind = { kind: d.kind, items: [] }));
    kind.items.push(d);
  }
  return groups;
}

function FilterSelect({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: string | undefined;
  onChange: (value: string | null) => void;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-700">
        {label}
      </label>
      <Select id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

function DiscrepancyLinks({ d }: { d: Discrepancy }) {
  const link = cx("text-indigo-800 underline-offset-2 hover:underline", focusRing);
  const items: { href: string; label: string }[] = [];
  if (d.facility && d.unitCode) items.push({ href: `/inventory/${encodeURIComponent(d.facility.code)}?unit=${encodeURIComponent(d.unitCode)}`, label: `Unit ${d.unitCode}` });
  else if (d.facility && d.unitTypeCode) items.push({ href: `/inventory/${encodeURIComponent(d.facility.code)}`, label: `${d.facility.code} ${d.unitTypeCode}` });
  if (d.bookingReference) items.push({ href: `/bookings/${encodeURIComponent(d.bookingReference)}`, label: `Booking ${d.bookingReference}` });
  if (d.partner) items.push({ href: `/drift?view=partners&partner=${encodeURIComponent(d.partner.code)}`, label: `Partner ${d.partner.code}` });
  if (d.endpoint) items.push({ href: `/webhooks/endpoints/${encodeURIComponent(d.endpoint.id)}`, label: `Endpoint ${d.endpoint.id}` });
  if (!items.length) return null;
  return (
    <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {items.map((i) => (
        <Link key={i.href} href={i.href} className={link}>
          {i.label}
        </Link>
      ))}
    </p>
  );
}

function ExpectedActual({ d }: { d: Pick<Discrepancy, "expected" | "actual" | "facility"> }) {
  const keys = comparedKeys(d.expected, d.actual);
  const cell = (key: string, value: unknown) =>
    isTimestamp(value) ? <ZonedTime value={value} timeZone={d.facility?.timezone} /> : formatValue(key, value);
  return (
    <table className="w-full max-w-xl text-sm" data-testid="expected-actual">
      <thead>
        <tr className="text-left text-xs text-slate-600">
          <th scope="col" className="py-1 pr-4 font-medium">
            Field
          </th>
          <th scope="col" className="py-1 pr-4 font-medium">
            Expected (the facts)
          </th>
          <th scope="col" className="py-1 font-medium">
            Actual
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const both = key in d.expected && key in d.actual;
          const differs = both && !sameValue(d.expected[key], d.actual[key]);
          return (
            <tr key={key} className={cx(differs && "bg-amber-50")} data-differs={differs || undefined}>
              <th scope="row" className="py-1 pr-4 text-left font-normal text-slate-700">
                {fieldLabel(key)}
              </th>
              <td className="py-1 pr-4 tabular-nums">{key in d.expected ? cell(key, d.expected[key]) : <span className="text-slate-400">—</span>}</td>
              <td className={cx("py-1 tabular-nums", differs && "font-semibold text-amber-900")}>
                {key in d.actual ? cell(key, d.actual[key]) : <span className="text-slate-400">—</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function DiscrepancyItem({ d, canRun, runId }: { d: Discrepancy; canRun: boolean; runId: string }) {
  const [dialog, setDialog] = useState<"correct" | "ACKNOWLEDGED" | "IGNORED" | null>(null);
  return (
    <li className="space-y-3 px-4 py-4" data-testid="discrepancy" data-kind={d.kind} data-status={d.status}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={SEVERITY_TONE[d.severity]}>{d.severity}</Badge>
            <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
            {d.status === "OPEN" && d.needsApproval ? <Badge tone="warning">needs approval</Badge> : null}
            {d.openedByRun !== runId ? (
              <span className="text-xs text-slate-600">
                first found by{" "}
                <Link href={`/drift/${d.openedByRun}`} className={cx("font-mono underline", focusRing)}>
                  {d.openedByRun}
                </Link>
              </span>
            ) : null}
          </p>
          <p className="font-medium text-slate-900">{d.summary}</p>
          <DiscrepancyLinks d={d} />
        </div>
        {canRun && d.status === "OPEN" ? (
          <div className="flex shrink-0 flex-wrap gap-2">
            <Button size="sm" onClick={() => setDialog("correct")}>
              Apply correction
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setDialog("ACKNOWLEDGED")}>
              Acknowledge
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setDialog("IGNORED")}>
              Ignore
            </Button>
          </div>
        ) : null}
      </div>
      <ExpectedActual d={d} />
      {d.status !== "OPEN" ? (
        <p className="text-sm text-slate-700" data-testid="resolution">
          <span className="font-medium">{d.status.charAt(0) + d.status.slice(1).toLowerCase()}</span>
          {d.resolvedBy ? ` by ${d.resolvedBy}` : ""}
          {d.resolvedAt ? (
            <>
              {" "}
              at <ZonedTime value={d.resolvedAt} timeZone={d.facility?.timezone} />
            </>
          ) : null}
          {d.resolution ? `: ${d.resolution}` : ""}
        </p>
      ) : null}
      {dialog === "correct" ? <CorrectionDialog d={d} onClose={() => setDialog(null)} /> : null}
      {dialog === "ACKNOWLEDGED" || dialog === "IGNORED" ? <ResolveDialog d={d} resolution={dialog} onClose={() => setDialog(null)} /> : null}
    </li>
  );
}

function useInvalidateDrift() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.drift.run.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.drift.runs.queryKey() }),
    ]);
  };
}

function CorrectionDialog({ d, onClose }: { d: Discrepancy; onClose: () => void }) {
  const id = useId();
  const invalidate = useInvalidateDrift();
  const [approve, setApprove] = useState(false);
  const [note, setNote] = useState("");
  const action = useConsoleAction(applyCorrectionAction, {
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  const needsApproval = d.needsApproval || action.failure?.context?.requires_approval === true;
  return (
    <Dialog onClose={action.pending ? () => undefined : onClose} title="Apply this correction?" size="lg" data-testid="correction-dialog">
      <DialogForm onSubmit={() => void action.run({ discrepancyId: d.id, note: note.trim() || undefined, ...(needsApproval ? { approve } : {}) })}>
        <DialogBody>
          <p className="text-sm font-medium text-slate-900">{d.summary}</p>
          <ExpectedActual d={d} />
          <p className="text-sm text-slate-700">
            <span className="font-medium">What happens:</span> {d.correction} It is recorded in the audit log under your name.
          </p>
          {needsApproval ? (
            <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2">
              <Checkbox
                id={`${id}-approve`}
                label="I approve this correction"
                description="It is beyond the configured tolerance, or it changes access or a booking: an ops lead's explicit approval is required."
                checked={approve}
                onChange={(e) => setApprove(e.target.checked)}
              />
            </div>
          ) : null}
          <Field id={`${id}-note`} label="Note" optional hint="Why, or what you checked; kept with the correction and in the audit log.">
            <textarea
              id={`${id}-note`}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
              rows={2}
              className={cx("w-full rounded-md border border-slate-300 px-3 py-2 text-sm", focusRing)}
            />
          </Field>
          {action.failure ? <FormAlert message={failureSummary(action.failure)} reference={action.failure.correlationId} /> : null}
        </DialogBody>
        <DialogActions type="submit" onCancel={onClose} confirmLabel="Apply correction" pendingLabel="Applying…" pending={action.pending} />
      </DialogForm>
    </Dialog>
  );
}

function ResolveDialog({ d, resolution, onClose }: { d: Discrepancy; resolution: "ACKNOWLEDGED" | "IGNORED"; onClose: () => void }) {
  const id = useId();
  const invalidate = useInvalidateDrift();
  const [note, setNote] = useState("");
  const action = useConsoleAction(resolveDiscrepancyAction, {
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  const ignoring = resolution === "IGNORED";
  const noteError = action.fieldError("note");
  return (
    <Dialog
      onClose={action.pending ? () => undefined : onClose}
      title={ignoring ? "Ignore this discrepancy?" : "Acknowledge this discrepancy?"}
      description={
        ignoring
          ? "Nothing is changed. It is not reported again until its state changes."
          : "Nothing is changed: it is marked as known and being handled. It is not reported again until its state changes."
      }
    >
      <DialogForm onSubmit={() => void action.run({ discrepancyId: d.id, resolution, note })}>
        <DialogBody>
          <p className="text-sm font-medium text-slate-900">{d.summary}</p>
          <Field
            id={`${id}-note`}
            label="Note"
            optional={!ignoring}
            hint={ignoring ? "Say why this drift is ignored; kept in the audit log." : "Kept in the audit log."}
            error={noteError}
          >
            <textarea
              id={`${id}-note`}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={500}
              rows={3}
              data-autofocus
              aria-invalid={noteError ? true : undefined}
              className={cx("w-full rounded-md border border-slate-300 px-3 py-2 text-sm", focusRing)}
            />
          </Field>
          {action.failure && !noteError ? <FormAlert message={failureSummary(action.failure)} reference={action.failure.correlationId} /> : null}
        </DialogBody>
        <DialogActions type="submit" onCancel={onClose} confirmLabel={ignoring ? "Ignore" : "Acknowledge"} pending={action.pending} />
      </DialogForm>
    </Dialog>
  );
}

function DetailSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading the run">
      <Skeleton className="h-32" />
      <Skeleton className="h-10 w-2/3" />
      <Skeleton className="h-64" />
    </div>
  );
}
