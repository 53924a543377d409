"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useRef, useState } from "react";
import { ActionFailureAlert } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Panel } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { RowAction, Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import type { AppRouter } from "@/server/api/root";
import { cancelReplayJobAction } from "@/server/actions/webhooks";
import { describeFilter } from "./filter-params";
import { formatCount, formatDuration } from "./format";
import { useInvalidateWebhooks, WEBHOOKS_REFRESH_MS } from "./webhooks-data";

export type ReplayJob = inferRouterOutputs<AppRouter>["webhooks"]["replayJobs"][number];

const STATUS: Record<ReplayJob["status"], { label: string; tone: BadgeTone }> = {
  PENDING: { label: "Queued", tone: "info" },
  RUNNING: { label: "Running", tone: "info" },
  COMPLETED: { label: "Completed", tone: "success" },
  CANCELLED: { label: "Cancelled", tone: "warning" },
  FAILED: { label: "Failed", tone: "danger" },
};

const isLive = (job: ReplayJob) => job.status === "PENDING" || job.status === "RUNNING";

/** Bulk replays, newest first, with their progress; a running one can be cancelled by those allowed to start one. */
export function ReplayJobsPanel({ canCancel, endpointNames }: { canCancel: boolean; endpointNames: (id: string) => string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.webhooks.replayJobs.queryOptions(
      { limit: 10 },
      // While a job runs, its progress moves every second.
      { refetchInterval: (q) => (q.state.data?.some(isLive) ? 1_000 : WEBHOOKS_REFRESH_MS) },
    ),
  );
  const [cancelling, setCancelling] = useState<ReplayJob | null>(null);
  const invalidate = useInvalidateWebhooks();

  // When a job ends, what it replayed has changed: the log, its counts and the endpoints' health.
  const liveIds = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!query.data) return;
    const live = new Set(query.data.filter(isLive).map((job) => job.id));
    const ended = liveIds.current ? [...liveIds.current].some((id) => !live.has(id)) : false;
    liveIds.current = live;
    if (ended) void invalidate("deliveries").then(() => invalidate("endpoints"));
  }, [query.data, invalidate]);

  let body: React.ReactNode;
  if (query.isPending) {
    body = (
      <div className="p-4" aria-busy="true" aria-label="Loading replay jobs">
        <Skeleton className="h-8 w-full" />
      </div>
    );
  } else if (query.isError && !query.data) {
    const { message, correlationId } = describeError(query.error);
    body = (
      <div className="p-4">
        <ErrorState title="Replay jobs could not be loaded" message={message} correlationId={correlationId} onRetry={() => void query.refetch()} />
      </div>
    );
  } else if (!query.data?.length) {
    body = <p className="px-4 py-4 text-sm text-slate-600">No bulk replays yet. Filter the delivery log, then “Replay matching” to start one.</p>;
  } else {
    body = (
      <Table caption="Bulk replay jobs">
        <THead>
          <Tr>
            {["Started", "What", "Progress", "Outcome", "Rate", "By", "Status"].map((label) => (
              <Th key={label}>{label}</Th>
            ))}
            {canCancel ? (
              // relative: the screen-reader label stays inside the table, which may scroll sideways
              <Th className="relative text-right">
                <span className="sr-only">Actions</span>
              </Th>
            ) : null}
          </Tr>
        </THead>
        <TBody>
          {query.data.map((job) => (
            <Tr key={job.id} data-testid="replay-job-row" data-job-id={job.id} data-status={job.status}>
              <Td>
                <ZonedTime value={job.createdAt} withSeconds />
              </Td>
              <Td className="max-w-64 min-w-44 text-xs text-slate-700">{describeFilter(job.filter, { endpoint: endpointNames }).join(" · ") || "All deliveries"}</Td>
              <Td className="min-w-48">
                <Progress processed={job.processed} total={job.total} />
                {isLive(job) && job.etaSeconds !== null ? <span className="text-xs text-slate-600">about {formatDuration(job.etaSeconds)} left</span> : null}
              </Td>
              <Td className="text-xs whitespace-nowrap text-slate-700">
                <span className="text-emerald-800">{formatCount(job.succeeded)} delivered</span> · <span className="text-red-800">{formatCount(job.failed)} failed</span>
                {job.skipped ? <> · {formatCount(job.skipped)} skipped</> : null}
                {job.error ? <span className="block text-red-800">{job.error}</span> : null}
              </Td>
              <Td className="text-xs whitespace-nowrap">{job.ratePerSecond}/s</Td>
              <Td className="text-xs break-all">{job.requestedBy?.email ?? "system"}</Td>
              <Td>
                <Badge tone={STATUS[job.status].tone}>{STATUS[job.status].label}</Badge>
                {job.cancelledBy ? <span className="block text-xs text-slate-600">by {job.cancelledBy.email}</span> : null}
              </Td>
              {canCancel ? (
                // relative: the button's screen-reader text stays inside the scrolling table
                <Td className="relative text-right">
                  {isLive(job) ? (
                    <RowAction subject={`replay job started ${new Date(job.createdAt).toISOString()}`} variant="danger" onClick={() => setCancelling(job)}>
                      Cancel
                    </RowAction>
                  ) : null}
                </Td>
              ) : null}
            </Tr>
          ))}
        </TBody>
      </Table>
    );
  }

  return (
    <Panel headingId="replay-jobs-heading" title="Replay jobs" description="Bulk replays run in the background at their rate cap; attempts already made stay made when one is cancelled.">
      {body}
      {cancelling ? <CancelJobDialog job={cancelling} onClose={() => setCancelling(null)} /> : null}
    </Panel>
  );
}

function Progress({ processed, total }: { processed: number; total: number }) {
  const percent = total ? Math.min(100, Math.round((processed / total) * 100)) : 0;
  return (
    <div>
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={processed}
        aria-label="Replayed"
        className="h-2 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-indigo-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <span className="text-xs tabular-nums text-slate-700" data-testid="replay-progress">
        {formatCount(processed)} / {formatCount(total)}
      </span>
    </div>
  );
}

function CancelJobDialog({ job, onClose }: { job: ReplayJob; onClose: () => void }) {
  const invalidate = useInvalidateWebhooks();
  const action = useConsoleAction(cancelReplayJobAction, {
    onSuccess: async () => {
      await invalidate("all");
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title="Cancel this replay?"
      confirmLabel="Cancel replay"
      pendingLabel="Cancelling…"
      onClose={onClose}
      onConfirm={() => void action.run({ jobId: job.id })}
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      {formatCount(job.processed)} of {formatCount(job.total)} deliveries have been replayed. The rest will not be sent; those already sent stay sent.
    </ConfirmDialog>
  );
}
