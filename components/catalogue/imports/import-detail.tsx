"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { failureSummary, useConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClassName } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { Dialog, DialogActions, DialogBody } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormAlert } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { applyImportAction, cancelImportAction } from "@/server/actions/catalogue";
import type { AppRouter } from "@/server/api/root";
import { applySummary, describeRowChange, IMPORT_ROWS_PAGE, IMPORT_STATUS, importDetailInput, importRefetchInterval, progressText, type ImportRowKind as RowKind } from "./import-format";

type Detail = inferRouterOutputs<AppRouter>["catalogue"]["imports"]["get"];
/**
 * /catalogue/imports/{id} (docs/domain.md#catalogue-imports): the import's state, its dry
 * run's diff, the rows with errors or the changes (paged), Apply while planned, Cancel
 * until it ends, and its progress — read again every second while the worker is on it.
 */
export function ImportDetail({ importId }: { importId: string }) {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const input = importDetailInput(importId, params);
  const query = useQuery(
    trpc.catalogue.imports.get.queryOptions(input, {
      placeholderData: keepPreviousData,
      refetchInterval: (q) => importRefetchInterval(q.state.data?.status),
      refetchIntervalInBackground: false,
    }),
  );
  const [dialog, setDialog] = useState<"apply" | "cancel" | null>(null);
  // the lines the earlier pages started after, for "Previous"
  const [earlier, setEarlier] = useState<number[]>([]);

  if (query.isPending) return <DetailSkeleton />;
  if (query.isError && !query.data) return <QueryErrorState title="This import could not be loaded" query={query} />;
  const data = query.data!;
  const status = IMPORT_STATUS[data.status];
  const board = `/inventory/${encodeURIComponent(data.facilityCode)}`;

  const showRows = (rows: RowKind) => {
    setEarlier([]);
    update({ rows: rows === "errors" ? null : rows, after: null });
  };

  return (
    <div className="space-y-6">
      <Card aria-labelledby="import-summary">
        <CardHeader
          id="import-summary"
          title={
            <span className="flex flex-wrap items-center gap-2">
              <span>{data.fileName ?? `${data.format.toUpperCase()} file`}</span>
              <Badge tone={status.tone} data-testid="import-status">
                {status.label}
              </Badge>
            </span>
          }
          description={
            <>
              {data.plan.rows.toLocaleString("en-GB")} rows for{" "}
              <Link href={`/catalogue?${new URLSearchParams({ facility: data.facilityCode })}`} className="font-mono text-indigo-800 underline">
                {data.facilityCode}
              </Link>
              , uploaded by {data.requestedBy} · <ZonedTime value={data.createdAt} />
              {data.finishedAt ? (
                <>
                  {" "}
                  · ended <ZonedTime value={data.finishedAt} />
                </>
              ) : null}
            </>
          }
          actions={
            <>
              {data.status === "PLANNED" ? <Button onClick={() => setDialog("apply")}>Apply…</Button> : null}
              {!status.finished ? (
                <Button variant="secondary" onClick={() => setDialog("cancel")}>
                  Cancel import…
                </Button>
              ) : null}
              <Link href={board} className={buttonClassName("secondary", "md")}>
                Inventory board
              </Link>
            </>
          }
        />
        <CardBody className="space-y-4">
          <ImportCounts data={data} />
          {status.working ? <ImportProgress data={data} /> : null}
          <StatusNote data={data} board={board} />
        </CardBody>
      </Card>

      <Card aria-labelledby="import-rows">
        <CardHeader
          id="import-rows"
          title="Rows"
          description="Line numbers are the file's (the header is line 1; in JSON, the position in the array)."
          actions={
            <div role="group" aria-label="Which rows" className="flex gap-1">
              {(["errors", "changes"] as const).map((kind) => (
                <Button key={kind} size="sm" variant={input.rows === kind ? "primary" : "secondary"} aria-pressed={input.rows === kind} onClick={() => showRows(kind)}>
                  {kind === "errors" ? `Errors (${(data.plan.errors + data.progress.failed).toLocaleString("en-GB")})` : `Changes (${data.progress.toApply.toLocaleString("en-GB")})`}
                </Button>
              ))}
            </div>
          }
        />
        <ImportRows data={data} kind={input.rows} />
        {earlier.length || data.nextAfterLine !== null ? (
          <nav aria-label="Pages of rows" className="flex items-center justify-end gap-2 border-t border-slate-200 px-4 py-3">
            <Button
              size="sm"
              variant="secondary"
              disabled={!earlier.length}
              onClick={() => {
                const previous = earlier.at(-1) ?? 0;
                setEarlier(earlier.slice(0, -1));
                update({ after: previous || null });
              }}
            >
              Previous
            </Button>
            <Button
              size="sm"
              variant="secondary"
              disabled={data.nextAfterLine === null}
              onClick={() => {
                setEarlier([...earlier, input.after_line]);
                update({ after: data.nextAfterLine });
              }}
            >
              Next {IMPORT_ROWS_PAGE}
            </Button>
          </nav>
        ) : null}
      </Card>

      {dialog === "apply" ? <ApplyDialog data={data} onClose={() => setDialog(null)} /> : null}
      {dialog === "cancel" ? <CancelDialog data={data} onClose={() => setDialog(null)} /> : null}
    </div>
  );
}

function ImportCounts({ data }: { data: Detail }) {
  const planned = data.status !== "PLANNING";
  const completed = data.status === "COMPLETED";
  const counts = completed
    ? [
        ["added", "Added", data.progress.added],
        ["changed", "Changed", data.progress.changed],
        ["retired", "Retired", data.progress.retired],
        ["unchanged", "Unchanged", data.plan.unchanged],
        ["errors", "Errors", data.plan.errors + data.progress.failed],
      ]
    : [
        ["add", "To add", data.plan.add],
        ["change", "To change", data.plan.change],
        ["retire", "To retire", data.plan.retire],
        ["unchanged", "Unchanged", data.plan.unchanged],
        ["errors", "Errors", data.plan.errors],
      ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5" aria-label={completed ? "What the import did" : "What the file would change"}>
      {counts.map(([key, label, value]) => (
        <div
          key={key}
          className={cx("rounded-md border px-3 py-2", key === "errors" && Number(value) > 0 ? "border-red-200 bg-red-50" : "border-slate-200 bg-slate-50")}
        >
          <dt className="text-xs font-medium text-slate-700">{label}</dt>
          <dd className="text-2xl font-semibold tabular-nums text-slate-900" data-testid={`import-count-${key}`}>
            {planned ? Number(value).toLocaleString("en-GB") : "…"}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ImportProgress({ data }: { data: Detail }) {
  const planning = data.status === "PLANNING";
  return (
    <div className="space-y-1">
      <div
        role="progressbar"
        aria-label={planning ? "Planning" : "Applying"}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={planning ? undefined : data.progress.percent}
        aria-valuetext={progressText(data)}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={cx("h-full rounded-full bg-indigo-600 transition-[width]", planning && "w-1/3 animate-pulse")}
          style={planning ? undefined : { width: `${data.progress.percent}%` }}
        />
      </div>
      <p className="text-sm text-slate-700 tabular-nums" aria-live="polite" data-testid="import-progress">
        {progressText(data)}
      </p>
    </div>
  );
}

function StatusNote({ data, board }: { data: Detail; board: string }) {
  switch (data.status) {
    case "PLANNED":
      return (
        <p className="text-sm text-slate-700">
          This is a dry run: nothing has changed yet.{" "}
          {data.progress.toApply ? "Apply it to make these changes; rows with errors are left out." : "The file changes nothing: every unit it names is already as it says."}
        </p>
      );
    case "COMPLETED":
      return (
        <p className="text-sm text-slate-700" role="status">
          Applied: {data.progress.added.toLocaleString("en-GB")} added, {data.progress.changed.toLocaleString("en-GB")} changed,{" "}
          {data.progress.retired.toLocaleString("en-GB")} retired
          {data.progress.failed ? `, ${data.progress.failed.toLocaleString("en-GB")} failed (see the errors)` : ""}.{" "}
          <Link href={board} className="font-medium text-indigo-800 underline">
            See them on {data.facilityCode}&apos;s board
          </Link>
        </p>
      );
    case "CANCELLED":
      return (
        <p className="text-sm text-slate-700" role="status">
          Cancelled <ZonedTime value={data.cancelledAt} />. {data.progress.processed ? `${data.progress.processed.toLocaleString("en-GB")} rows applied before it stay applied.` : "Nothing was applied."}
        </p>
      );
    case "FAILED":
      return <FormAlert title="The import failed" message={data.error ?? "Unknown error"} />;
    default:
      return null;
  }
}

function ImportRows({ data, kind }: { data: Detail; kind: RowKind }) {
  if (data.status === "PLANNING") {
    return <EmptyState className="m-4" title="Comparing the file with the facility's units" description="Its rows appear here in a moment." />;
  }
  if (!data.rows.length) {
    return (
      <EmptyState
        className="m-4"
        title={kind === "errors" ? "No errors" : "No changes"}
        description={kind === "errors" ? "Every row of the file can be applied." : "Every unit the file names is already as it says."}
      />
    );
  }
  return (
    <Table caption={kind === "errors" ? "Rows with errors" : "Changes"}>
      <TableHeader columns={[{ label: "Line", numeric: true }, "Unit", "Type", { label: "Floor", numeric: true }, kind === "errors" ? "Error" : "Change", "Status"]} />
      <TBody>
        {data.rows.map((row) => (
          <Tr key={row.line} data-testid="import-row">
            <Td numeric>{row.line}</Td>
            <Td className="font-mono">{row.unitCode ?? "—"}</Td>
            <Td className="font-mono">{row.unitTypeCode ?? "—"}</Td>
            <Td numeric>{row.floor ?? "—"}</Td>
            <Td className={row.error ? "text-red-800" : undefined}>
              {row.error ? (
                <>
                  {row.error.message}
                  {row.error.field && !row.error.message.includes(row.error.field) ? (
                    <span className="block text-xs text-slate-600">
                      column <code className="font-mono">{row.error.field}</code>
                    </span>
                  ) : null}
                </>
              ) : (
                describeRowChange(row)
              )}
            </Td>
            <Td>
              <Badge tone={row.status === "APPLIED" ? "success" : row.status === "FAILED" ? "danger" : "neutral"}>{row.status.toLowerCase()}</Badge>
            </Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

function useInvalidateImports() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.catalogue.imports.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.catalogue.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.inventory.pathKey() }),
    ]);
}

function ApplyDialog({ data, onClose }: { data: Detail; onClose: () => void }) {
  const invalidate = useInvalidateImports();
  const action = useConsoleAction(applyImportAction, {
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog onClose={action.pending ? () => undefined : onClose} title="Apply this import?">
      <DialogBody>
        <p className="text-sm text-slate-800" data-testid="apply-summary">
          {applySummary(data)}
        </p>
        <p className="text-sm text-slate-700">Each change is made as if by hand, with its events and audit entry; partners see the new counts as they are applied.</p>
        {action.failure ? <FormAlert message={failureSummary(action.failure)} reference={action.failure.code === "INTERNAL" ? action.failure.correlationId : null} /> : null}
      </DialogBody>
      <DialogActions onCancel={onClose} confirmLabel="Apply import" pendingLabel="Applying…" pending={action.pending} onConfirm={() => void action.run({ import_id: data.id })} />
    </Dialog>
  );
}

function CancelDialog({ data, onClose }: { data: Detail; onClose: () => void }) {
  const invalidate = useInvalidateImports();
  const action = useConsoleAction(cancelImportAction, {
    onSuccess: async () => {
      await invalidate();
      onClose();
    },
  });
  return (
    <Dialog onClose={action.pending ? () => undefined : onClose} title="Cancel this import?">
      <DialogBody>
        <p className="text-sm text-slate-800">
          {data.status === "APPLYING"
            ? "The rows applied so far stay applied; no more are applied after this."
            : "Nothing has been applied; the import ends here and can no longer be applied."}
        </p>
        {action.failure ? <FormAlert message={failureSummary(action.failure)} reference={action.failure.code === "INTERNAL" ? action.failure.correlationId : null} /> : null}
      </DialogBody>
      <DialogActions
        onCancel={onClose}
        cancelLabel="Keep import"
        focusCancel
        tone="danger"
        confirmLabel="Cancel import"
        pendingLabel="Cancelling…"
        pending={action.pending}
        onConfirm={() => void action.run({ import_id: data.id })}
      />
    </Dialog>
  );
}

function DetailSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading the import">
      <Skeleton className="h-48" />
      <Skeleton className="h-64" />
    </div>
  );
}
