"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { failureSummary, useConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { focusRing } from "@/components/ui/focus";
import { FormAlert } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { TabNav } from "@/components/ui/tab-nav";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { startReconciliationAction } from "@/server/actions/drift";
import type { AppRouter } from "@/server/api/root";
import { DISCREPANCY_KINDS } from "@/shared/discrepancy-kinds";
import { CHECK_LABELS, formatRunDuration, KIND_LABELS, scannedText, STATUS_TONE } from "./format";
import { PartnerSync } from "./partner-sync";
import { RunTrendChart } from "./run-trend-chart";

type Runs = inferRouterOutputs<AppRouter>["drift"]["runs"];
export type Run = Runs["runs"][number];

const IDLE_REFRESH_MS = 15_000;
const ACTIVE_REFRESH_MS = 1_500;

/** /drift: the run in progress (or Run now), what is open, the trend, and the runs; or the partner sync view. */
export function DriftOverview({ canRun }: { canRun: boolean }) {
  const { params, update } = useUrlState();
  const view = params.view === "partners" ? "partners" : "runs";
  return (
    <div className="space-y-6">
      <TabNav
        label="Drift views"
        current={view}
        onSelect={(id) => update({ view: id === "runs" ? null : id })}
        items={[
          { id: "runs", label: "Runs", href: "/drift" },
          { id: "partners", label: "Partner sync", href: "/drift?view=partners" },
        ]}
      />
      {view === "runs" ? <RunsView canRun={canRun} /> : <PartnerSync />}
    </div>
  );
}

function RunsView({ canRun }: { canRun: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.drift.runs.queryOptions(undefined, {
      refetchInterval: (q) => (q.state.data?.active ? ACTIVE_REFRESH_MS : IDLE_REFRESH_MS),
      refetchIntervalInBackground: false,
    }),
  );

  if (query.isPending) return <RunsSkeleton />;
  if (query.isError && !query.data) {
    return (
      <QueryErrorState title="Reconciliation runs could not be loaded" query={query} />
    );
  }
  const data = query.data!;
  return (
    <div className="space-y-6">
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <RunNowCard canRun={canRun} data={data} />
        <OpenSummary open={data.open} />
      </div>
      <Card aria-labelledby="drift-trend">
        <CardHeader
          id="drift-trend"
          title="Discrepancies found per run"
          description="Each bar is one run (oldest on the left), split by kind: drift it found, new or still open from an earlier run."
        />
        <CardBody>
          {data.runs.some((r) => r.status === "SUCCEEDED") ? (
            <RunTrendChart runs={data.runs} />
          ) : (
            <p className="text-sm text-slate-600">The trend appears after the first finished run.</p>
          )}
        </CardBody>
      </Card>
      <RunsTable runs={data.runs} schedule={data.schedule} />
    </div>
  );
}

function RunNowCard({ canRun, data }: { canRun: boolean; data: Runs }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [started, setStarted] = useState<{ runId: string; alreadyRunning: boolean } | null>(null);
  const action = useConsoleAction(startReconciliationAction, {
    onSuccess: async (result) => {
      setStarted(result);
      await queryClient.invalidateQueries({ queryKey: trpc.drift.runs.queryKey() });
    },
  });
  const active = data.active;
  const finished = started && !active ? data.runs.find((r) => r.id === started.runId && r.status !== "RUNNING") : undefined;

  return (
    <Card aria-labelledby="run-now" data-testid="run-now-card">
      <CardHeader
        id="run-now"
        title="Reconciliation"
        description={
          <>
            Scheduled <code className="font-mono text-xs">{data.schedule}</code> (UTC); corrections within a tolerance of {data.tolerance} are applied
            by scheduled runs, the rest wait for an ops lead.
          </>
        }
      />
      <CardBody className="space-y-3">
        {active ? (
          <RunProgress run={active} />
        ) : finished ? (
          <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="run-finished">
            {finished.status === "SUCCEEDED" ? (
              <>
                Run finished: <strong>{finished.discrepancyCount}</strong> discrepancies found ({finished.summary.opened ?? 0} new,{" "}
                {finished.summary.cleared ?? 0} cleared).{" "}
              </>
            ) : (
              <>Run failed: {finished.error}. </>
            )}
            <Link href={`/drift/${finished.id}`} className={cx("font-medium underline", focusRing)}>
              View run {finished.id}
            </Link>
          </div>
        ) : (
          <p className="text-sm text-slate-600">No run in progress.</p>
        )}
        {action.failure ? <FormAlert message={failureSummary(action.failure)} reference={action.failure.correlationId} /> : null}
        {canRun ? (
          <Button onClick={() => void action.run({})} disabled={action.pending || Boolean(active)} aria-busy={action.pending}>
            {action.pending ? "Starting…" : active ? "Run in progress" : "Run now"}
          </Button>
        ) : (
          <p className="text-xs text-slate-600">Only ops leads and admins start runs.</p>
        )}
      </CardBody>
    </Card>
  );
}

function RunProgress({ run }: { run: Run }) {
  const current = run.summary.current;
  const pct = current && current.total > 0 ? Math.round((current.done / current.total) * 100) : null;
  const label =
    run.summary.phase === "queued"
      ? "Queued: waiting for a worker"
      : run.summary.phase === "merging"
        ? "Recording what it found"
        : run.summary.phase === "correcting"
          ? "Applying corrections within tolerance"
          : current
            ? `Checking ${CHECK_LABELS[current.check]?.toLowerCase() ?? current.check}${current.check === "counters" ? ` (${current.done} of ${current.total} pools)` : ""}`
            : "Starting";
  return (
    <div role="status" aria-live="polite" data-testid="run-progress" className="space-y-2">
      <p className="text-sm text-slate-800">
        <Link href={`/drift/${run.id}`} className={cx("font-mono text-xs text-indigo-800 hover:underline", focusRing)}>
          {run.id}
        </Link>{" "}
        · {run.trigger === "MANUAL" ? `started by ${run.requestedBy ?? "a user"}` : "scheduled"} · {label}
      </p>
      <div className="h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        <div className={cx("h-full bg-indigo-600 transition-all", pct === null && "w-1/3 animate-pulse")} style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
    </div>
  );
}

function OpenSummary({ open }: { open: Runs["open"] }) {
  return (
    <Card aria-labelledby="open-drift">
      <CardHeader id="open-drift" title="Open now" description="Discrepancies no one has corrected, acknowledged or ignored yet." />
      <CardBody>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          <div className="rounded-md bg-slate-50 px-3 py-2">
            <dt className="text-xs text-slate-600">All kinds</dt>
            <dd className="text-xl font-semibold tabular-nums text-slate-900" data-testid="open-total">
              {open.total}
            </dd>
          </div>
          {DISCREPANCY_KINDS.map((kind) => (
            <div key={kind} className="rounded-md bg-slate-50 px-3 py-2">
              <dt className="text-xs text-slate-600">{KIND_LABELS[kind]}</dt>
              <dd className={cx("text-xl font-semibold tabular-nums", open.byKind[kind] ? "text-amber-800" : "text-slate-900")}>{open.byKind[kind]}</dd>
            </div>
          ))}
        </dl>
      </CardBody>
    </Card>
  );
}

const RUN_CSV = [
  { header: "run", value: (r: Run) => r.id },
  { header: "trigger", value: (r: Run) => r.trigger },
  { header: "status", value: (r: Run) => r.status },
  { header: "started_at", value: (r: Run) => new Date(r.startedAt) },
  { header: "finished_at", value: (r: Run) => (r.finishedAt ? new Date(r.finishedAt) : null) },
  { header: "requested_by", value: (r: Run) => r.requestedBy },
  { header: "checks", value: (r: Run) => r.checks.join(" ") },
  { header: "scanned", value: (r: Run) => scannedText(r.summary.scanned) },
  { header: "discrepancies", value: (r: Run) => r.discrepancyCount },
  ...DISCREPANCY_KINDS.map((k) => ({ header: k.toLowerCase(), value: (r: Run) => r.summary.found?.[k] ?? null })),
  { header: "new", value: (r: Run) => r.summary.opened ?? null },
  { header: "cleared", value: (r: Run) => r.summary.cleared ?? null },
  { header: "auto_corrected", value: (r: Run) => r.summary.autoCorrected ?? null },
  { header: "error", value: (r: Run) => r.error },
];

function RunsTable({ runs, schedule }: { runs: Run[]; schedule: string }) {
  return (
    <Card aria-labelledby="drift-runs">
      <CardHeader
        id="drift-runs"
        title="Runs"
        description="The latest runs, newest first. Times in UTC. What each run scanned is on its page (and in the export)."
        actions={<ExportCsvButton list="reconciliation-runs" columns={RUN_CSV} fetchRows={async () => runs} />}
      />
      {runs.length === 0 ? (
        <div className="p-4">
          <EmptyState
            title="No runs yet"
            description={
              <>
                The worker runs reconciliation on its schedule (<code className="font-mono">{schedule}</code>), or start one with Run now.
              </>
            }
          />
        </div>
      ) : (
        <Table caption="Reconciliation runs">
          <THead>
            <Tr>
              <Th>Run</Th>
              <Th>Started</Th>
              <Th>Status</Th>
              <Th numeric>Found</Th>
              <Th>By kind</Th>
              <Th numeric>New</Th>
              <Th numeric>Cleared</Th>
              <Th numeric>Auto-fixed</Th>
              <Th numeric>Took</Th>
            </Tr>
          </THead>
          <TBody>
            {runs.map((run) => (
              <Tr key={run.id} data-testid="run-row">
                <Td>
                  <Link href={`/drift/${run.id}`} className={cx("font-mono text-xs text-indigo-800 hover:underline", focusRing)}>
                    {run.id}
                  </Link>
                  <span className="block text-xs text-slate-600">{run.trigger === "MANUAL" ? `Manual · ${run.requestedBy ?? "—"}` : "Scheduled"}</span>
                </Td>
                <Td>
                  <ZonedTime value={run.startedAt} />
                </Td>
                <Td>
                  <Badge tone={STATUS_TONE[run.status]} title={run.error ?? undefined}>
                    {run.status === "RUNNING" && run.summary.phase === "queued" ? "QUEUED" : run.status}
                  </Badge>
                </Td>
                <Td numeric>{run.status === "SUCCEEDED" ? run.discrepancyCount : "—"}</Td>
                <Td className="min-w-[9rem] text-xs text-slate-700" title={`Scanned: ${scannedText(run.summary.scanned)}`}>
                  {foundByKind(run)}
                </Td>
                <Td numeric>{run.summary.opened ?? "—"}</Td>
                <Td numeric>{run.summary.cleared ?? "—"}</Td>
                <Td numeric>{run.summary.autoCorrected ?? "—"}</Td>
                <Td numeric>{formatRunDuration(run.startedAt, run.finishedAt)}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

function foundByKind(run: Run): string {
  if (run.status !== "SUCCEEDED") return run.status === "FAILED" ? (run.error ?? "failed") : "—";
  const parts = DISCREPANCY_KINDS.filter((k) => (run.summary.found?.[k] ?? 0) > 0).map((k) => `${run.summary.found![k]} ${KIND_LABELS[k].toLowerCase()}`);
  return parts.join(" · ") || "none";
}

function RunsSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading runs">
      <div className="grid gap-6 lg:grid-cols-3">
        <Skeleton className="h-40" />
        <Skeleton className="h-40 lg:col-span-2" />
      </div>
      <Skeleton className="h-64" />
      <Skeleton className="h-64" />
    </div>
  );
}
