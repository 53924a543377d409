"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ActionFailureAlert } from "@/components/actions/action-failure";
import { useConsoleAction, type ActionResult } from "@/components/actions/use-console-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogBody, DialogFooter, DialogForm } from "@/components/ui/dialog";
import { FormAlert, TextField } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import { replayWindowAction, startBulkReplayAction } from "@/server/actions/webhooks";
import { isoToLocalInput, localInputToIso, type DeliveryFilterValue } from "./filter-params";
import { formatCount, formatDuration } from "./format";
import { useInvalidateWebhooks } from "./webhooks-data";

/**
 * Bulk replays: build a filter → see how many deliveries it would send → confirm, with
 * the count and the rate cap spelled out → a background job with progress and Cancel
 * (the replay jobs panel). The count confirmed is sent along: if the set changed in the
 * meantime, the server refuses and the dialog counts again.
 */

const DEFAULT_RATE = 50;
const MAX_RATE = 500;

interface Preview {
  count: number;
  disabledEndpoint: number;
}

function parseRate(text: string): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= MAX_RATE ? n : null;
}

function PreviewSummary({ preview, rate }: { preview: Preview; rate: number | null }) {
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2.5 text-sm text-slate-800" data-testid="replay-preview">
      {preview.count === 0 ? (
        <p className="font-medium">No deliveries of an active endpoint match: there is nothing to replay.</p>
      ) : (
        <p>
          <span className="text-lg font-semibold tabular-nums text-slate-900" data-testid="replay-preview-count">
            {formatCount(preview.count)}
          </span>{" "}
          {preview.count === 1 ? "delivery" : "deliveries"} will be sent again
          {rate ? (
            <>
              , at most <span className="font-semibold">{rate} per second</span> (about {formatDuration(Math.ceil(preview.count / rate))})
            </>
          ) : null}
          .
        </p>
      )}
      {preview.disabledEndpoint ? (
        <p className="mt-1 text-xs text-amber-900">
          {formatCount(preview.disabledEndpoint)} matching {preview.disabledEndpoint === 1 ? "delivery goes" : "deliveries go"} to a disabled endpoint and will be left
          out; enable the endpoint first to include them.
        </p>
      ) : null}
      {preview.count ? <p className="mt-1 text-xs text-slate-600">Each keeps its webhook-id, so consumers can drop the ones they already processed.</p> : null}
    </div>
  );
}

function PreviewState({
  query,
  rate,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data?: Preview; isFetching: boolean; refetch: () => unknown };
  rate: number | null;
}) {
  if (query.isPending) return <Skeleton className="h-16 w-full" />;
  if (query.isError || !query.data) {
    const { message } = describeError(query.error);
    return <FormAlert title="Could not count the deliveries" message={message} />;
  }
  return <PreviewSummary preview={query.data} rate={rate} />;
}

function RateField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string }) {
  const id = useId();
  return (
    <TextField
      id={id}
      label="Rate cap (deliveries per second)"
      inputMode="numeric"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      hint={`1 to ${MAX_RATE}. The partner's endpoint is someone else's server: start gently.`}
      error={error}
      className="w-32"
    />
  );
}

/** Cancel, and the confirm button naming how many deliveries it sends. */
function ConfirmFooter({ onCancel, count, pending, disabled }: { onCancel: () => void; count: number; pending: boolean; disabled: boolean }) {
  return (
    <DialogFooter>
      <Button variant="secondary" onClick={onCancel} disabled={pending}>
        Cancel
      </Button>
      <Button type="submit" disabled={pending || disabled} aria-busy={pending}>
        {pending ? "Starting…" : count ? `Replay ${formatCount(count)} ${count === 1 ? "delivery" : "deliveries"}` : "Replay"}
      </Button>
    </DialogFooter>
  );
}

export interface StartedJob {
  id: string;
  total: number;
}

function useStart<TInput>(action: (input: TInput) => Promise<ActionResult<StartedJob>>, onStarted: (job: StartedJob) => void, refetchPreview: () => unknown) {
  const invalidate = useInvalidateWebhooks();
  const run = useConsoleAction(action, {
    onSuccess: async (job) => {
      await invalidate("all");
      onStarted(job);
    },
  });
  return {
    ...run,
    start: async (input: TInput) => {
      const result = await run.run(input);
      // The set changed since the preview: count again so the next confirm is for what matches now.
      if (!result.ok && result.code === "CONFLICT") refetchPreview();
    },
  };
}

/** "Replay matching": the delivery log's current filter. */
export function BulkReplayDialog({
  filter,
  description,
  onClose,
  onStarted,
}: {
  filter: DeliveryFilterValue;
  /** the filter in words */
  description: string[];
  onClose: () => void;
  onStarted: (job: StartedJob) => void;
}) {
  const trpc = useTRPC();
  const preview = useQuery(trpc.webhooks.replayPreview.queryOptions({ filter }, { staleTime: 0, gcTime: 0 }));
  const [rateText, setRateText] = useState(String(DEFAULT_RATE));
  const rate = parseRate(rateText);
  const start = useStart(startBulkReplayAction, onStarted, () => void preview.refetch());
  const count = preview.data?.count ?? 0;

  return (
    <Dialog onClose={start.pending ? () => undefined : onClose} title="Bulk replay" size="lg" data-testid="bulk-replay-dialog">
      <DialogForm
        onSubmit={() => {
          if (rate && count) void start.start({ filter, ratePerSecond: rate, expectedCount: count });
        }}
      >
        <DialogBody>
          <div className="text-sm text-slate-700">
            <p className="font-medium text-slate-900">Deliveries matching</p>
            <ul className="mt-1 list-inside list-disc">
              {description.length ? description.map((line) => <li key={line}>{line}</li>) : <li>every delivery you can see (no filter)</li>}
            </ul>
          </div>
          <PreviewState query={preview} rate={rate} />
          <RateField value={rateText} onChange={setRateText} error={rate === null ? `Enter a whole number from 1 to ${MAX_RATE}.` : start.fieldError("ratePerSecond")} />
          <ActionFailureAlert failure={start.failure} fields={["ratePerSecond"]} />
        </DialogBody>
        <ConfirmFooter onCancel={onClose} count={count} pending={start.pending} disabled={preview.isFetching || !count || rate === null} />
      </DialogForm>
    </Dialog>
  );
}

/** "Replay a window": one endpoint's failed (retrying) and dead deliveries created between two times. */
export function ReplayWindowDialog({ endpointId, onClose, onStarted }: { endpointId: string; onClose: () => void; onStarted: (job: StartedJob) => void }) {
  const trpc = useTRPC();
  const fromId = useId();
  const toId = useId();
  // Last 24 hours by default (until a minute from now, so what just failed is included).
  const [fromText, setFromText] = useState(() => isoToLocalInput(new Date(Date.now() - 24 * 3_600_000).toISOString()));
  const [toText, setToText] = useState(() => isoToLocalInput(new Date(Date.now() + 60_000).toISOString()));
  const [rateText, setRateText] = useState(String(DEFAULT_RATE));
  const from = localInputToIso(fromText);
  const to = localInputToIso(toText);
  const windowError = !from || !to ? "Choose both times." : from >= to ? "The start must be before the end." : null;
  const rate = parseRate(rateText);
  const preview = useQuery(
    trpc.webhooks.replayWindowPreview.queryOptions({ endpointId, from: from ?? "", to: to ?? "" }, {
      enabled: windowError === null,
      staleTime: 0,
      gcTime: 0,
    }),
  );
  const start = useStart(replayWindowAction, onStarted, () => void preview.refetch());
  const count = windowError ? 0 : (preview.data?.count ?? 0);

  return (
    <Dialog onClose={start.pending ? () => undefined : onClose} title="Replay a window" size="lg" data-testid="replay-window-dialog">
      <DialogForm
        onSubmit={() => {
          if (!windowError && rate && count) void start.start({ endpointId, from: from!, to: to!, ratePerSecond: rate, expectedCount: count });
        }}
      >
        <DialogBody>
          <p className="text-sm text-slate-700">The failed (still retrying) and dead deliveries of this endpoint created in this window, sent again now. Times are your browser&apos;s local time.</p>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField id={fromId} label="From" type="datetime-local" value={fromText} onChange={(e) => setFromText(e.target.value)} error={start.fieldError("from")} />
            <TextField id={toId} label="Until" type="datetime-local" value={toText} onChange={(e) => setToText(e.target.value)} error={windowError ?? start.fieldError("to")} />
          </div>
          {windowError ? null : <PreviewState query={preview} rate={rate} />}
          <RateField value={rateText} onChange={setRateText} error={rate === null ? `Enter a whole number from 1 to ${MAX_RATE}.` : start.fieldError("ratePerSecond")} />
          <ActionFailureAlert failure={start.failure} fields={["from", "to", "ratePerSecond"]} />
        </DialogBody>
        <ConfirmFooter onCancel={onClose} count={count} pending={start.pending} disabled={preview.isFetching || !count || rate === null || windowError !== null} />
      </DialogForm>
    </Dialog>
  );
}
