"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { ActionFailureAlert } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Badge, BadgeList } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { ConfirmDialog } from "@/components/ui/dialog";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { formatLatency } from "@/components/ui/time-format";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { replayDeliveryAction, replayEventAction } from "@/server/actions/webhooks";
import { deliveryStatusLabel, FAILURE_CLASS_LABELS, formatHttpStatus, httpStatusTone, prettyJson, shortUrl, TRIGGER_LABELS } from "./format";
import { useInvalidateWebhooks, type DeliveryAttempt, type DeliveryDetail as Detail, type WebhookActions } from "./webhooks-data";

/**
 * One delivery: its state, the event it carries, and every attempt to deliver it, newest
 * first — with Replay (support and up) and Replay event (bulk permission). A replay's
 * new attempt appears as soon as the action returns; while the delivery is still being
 * retried, the page refreshes itself.
 */
export function DeliveryDetailView({ deliveryId, actions }: { deliveryId: string; actions: WebhookActions }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.webhooks.delivery.queryOptions(
      { deliveryId },
      { refetchInterval: (q) => (q.state.data && (q.state.data.status === "PENDING" || q.state.data.status === "RETRYING") ? 5_000 : false) },
    ),
  );

  if (query.isPending) {
    return (
      <div className="space-y-4" aria-busy="true" aria-label="Loading the delivery">
        <Skeleton className="h-28 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (query.isError && !query.data) {
    return <QueryErrorState title="The delivery could not be loaded" query={query} />;
  }
  const delivery = query.data!;
  const tz = delivery.facility?.timezone ?? "UTC";

  return (
    <div className="space-y-6">
      <Summary delivery={delivery} actions={actions} />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card aria-labelledby="attempts-heading">
          <CardHeader
            id="attempts-heading"
            title={`Attempts (${delivery.attempts.length})`}
            description="Newest first. Request headers as sent, without secrets; signatures are shortened."
          />
          {delivery.attempts.length === 0 ? (
            <p className="px-4 py-6 text-sm text-slate-600">No attempt yet{delivery.nextAttemptAt ? "; the first is scheduled." : "."}</p>
          ) : (
            <ol className="divide-y divide-slate-200" data-testid="attempts">
              {[...delivery.attempts].reverse().map((attempt) => (
                <AttemptItem key={attempt.id} attempt={attempt} timeZone={tz} />
              ))}
            </ol>
          )}
        </Card>
        <Card aria-labelledby="event-heading">
          <CardHeader
            id="event-heading"
            title="Event"
            description={
              <>
                <span className="font-mono">{delivery.event.type}</span> · schema v{delivery.event.schemaVersion} · {delivery.event.aggregateType} version{" "}
                {delivery.event.aggregateVersion}
              </>
            }
            actions={<CopyButton value={prettyJson(delivery.event.data)} label="Copy payload" />}
          />
          <CardBody className="space-y-3">
            <dl className="grid grid-cols-[9rem_minmax(0,1fr)] gap-x-3 gap-y-1.5 text-sm">
              <dt className="text-slate-600">Event id</dt>
              <dd className="font-mono text-xs break-all">{delivery.event.id}</dd>
              <dt className="text-slate-600">Created</dt>
              <dd>
                <ZonedTime value={delivery.event.createdAt} timeZone={tz} withSeconds />
              </dd>
              <dt className="text-slate-600">Correlation id</dt>
              <dd className="font-mono text-xs break-all">
                {delivery.event.correlationId ? (
                  <Link href={`/webhooks?q=${encodeURIComponent(delivery.event.correlationId)}`} className={cx("text-indigo-800 hover:underline", focusRing)}>
                    {delivery.event.correlationId}
                  </Link>
                ) : (
                  "—"
                )}
              </dd>
            </dl>
            <pre className="max-h-[28rem] overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100" data-testid="event-payload">
              {prettyJson(delivery.event.data)}
            </pre>
          </CardBody>
        </Card>
      </div>
    </div>
  );
}

function Summary({ delivery, actions }: { delivery: Detail; actions: WebhookActions }) {
  const status = deliveryStatusLabel(delivery.status);
  const tz = delivery.facility?.timezone ?? "UTC";
  const [replaying, setReplaying] = useState<"delivery" | "event" | null>(null);
  const [notice, setNotice] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const endpointOff = delivery.endpoint.status === "DISABLED" || delivery.endpoint.deleted;

  return (
    <Card aria-labelledby="delivery-heading">
      <CardHeader
        id="delivery-heading"
        title={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={status.tone} title={status.hint} data-testid="delivery-status">
              {status.label}
            </Badge>
            <span className="font-mono text-sm">{delivery.event.type}</span>
            <span className="text-slate-500">→</span>
            <Link href={`/webhooks/endpoints/${delivery.endpoint.id}`} className={cx("text-indigo-800 hover:underline", focusRing)}>
              <span className="font-mono">{delivery.endpoint.partnerCode}</span> <span className="text-sm font-normal">{shortUrl(delivery.endpoint.url)}</span>
            </Link>
          </span>
        }
        description={
          endpointOff
            ? delivery.endpoint.deleted
              ? "The endpoint has been deleted: this delivery cannot be replayed."
              : `The endpoint is disabled${delivery.endpoint.disabledReason ? ` (${delivery.endpoint.disabledReason})` : ""}: enable it before replaying.`
            : status.hint
        }
        actions={
          <>
            {actions.replayDelivery ? (
              <Button onClick={() => setReplaying("delivery")} disabled={endpointOff} data-testid="replay-delivery">
                Replay
              </Button>
            ) : null}
            {actions.bulkReplay ? (
              <Button variant="secondary" onClick={() => setReplaying("event")} data-testid="replay-event">
                Replay event
              </Button>
            ) : null}
          </>
        }
      />
      <CardBody>
        {notice ? (
          <p role="status" className={cx("mb-3 rounded-md px-3 py-2 text-sm", notice.tone === "success" ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-900")} data-testid="replay-notice">
            {notice.text}
          </p>
        ) : null}
        <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <Fact label="Delivery id">
            <span className="font-mono text-xs break-all">{delivery.id}</span>
          </Fact>
          <Fact label="Created">
            <ZonedTime value={delivery.createdAt} timeZone={tz} withSeconds />
          </Fact>
          <Fact label="Attempts">{delivery.attemptCount}</Fact>
          <Fact label={delivery.status === "SUCCEEDED" ? "Delivered" : delivery.status === "DEAD" ? "Dead since" : "Next attempt"}>
            <ZonedTime value={delivery.status === "SUCCEEDED" ? delivery.succeededAt : delivery.status === "DEAD" ? delivery.deadAt : delivery.nextAttemptAt} timeZone={tz} withSeconds empty="Not scheduled" />
          </Fact>
          <Fact label="Facility">{delivery.facility ? `${delivery.facility.code} · ${delivery.facility.name}` : "—"}</Fact>
          <Fact label="Booking">
            {delivery.booking ? (
              <Link href={`/bookings/${delivery.booking.reference}`} className={cx("font-mono text-indigo-800 hover:underline", focusRing)}>
                {delivery.booking.reference}
              </Link>
            ) : (
              "—"
            )}
            {delivery.booking ? <span className="ml-1 text-xs text-slate-600">({delivery.booking.status.toLowerCase()})</span> : null}
          </Fact>
          <Fact label="Partner">
            <span className="font-mono">{delivery.endpoint.partnerCode}</span>
          </Fact>
          <Fact label="Webhook-id (kept on replays)">
            <span className="font-mono text-xs break-all">{delivery.event.id}</span>
          </Fact>
        </dl>
      </CardBody>
      {replaying === "delivery" ? (
        <ReplayDialog
          kind="delivery"
          delivery={delivery}
          onClose={() => setReplaying(null)}
          onDone={(text, ok) => {
            setReplaying(null);
            setNotice({ tone: ok ? "success" : "danger", text });
          }}
        />
      ) : null}
      {replaying === "event" ? (
        <ReplayDialog
          kind="event"
          delivery={delivery}
          onClose={() => setReplaying(null)}
          onDone={(text, ok) => {
            setReplaying(null);
            setNotice({ tone: ok ? "success" : "danger", text });
          }}
        />
      ) : null}
    </Card>
  );
}

function ReplayDialog({ kind, delivery, onClose, onDone }: { kind: "delivery" | "event"; delivery: Detail; onClose: () => void; onDone: (text: string, ok: boolean) => void }) {
  const invalidate = useInvalidateWebhooks();
  const one = useConsoleAction(replayDeliveryAction, {
    onSuccess: async (outcome) => {
      await invalidate("deliveries");
      onDone(
        outcome.success
          ? `Attempt ${outcome.attemptNumber} delivered: HTTP ${outcome.responseStatus} in ${formatLatency(outcome.durationMs)}.`
          : `Attempt ${outcome.attemptNumber} failed: ${outcome.responseStatus ? `HTTP ${outcome.responseStatus}` : (FAILURE_CLASS_LABELS[outcome.failureClass ?? ""] ?? "no answer")}.${outcome.endpointDisabled ? ` The endpoint was disabled: ${outcome.endpointDisabled}.` : ""}`,
        outcome.success,
      );
    },
  });
  const all = useConsoleAction(replayEventAction, {
    onSuccess: async (result) => {
      await invalidate("deliveries");
      onDone(
        `Replayed to ${result.attempted} endpoint${result.attempted === 1 ? "" : "s"}: ${result.succeeded} delivered${result.skipped ? `, ${result.skipped} skipped (endpoint disabled or busy)` : ""}.`,
        result.succeeded === result.attempted && result.attempted > 0,
      );
    },
  });
  const action = kind === "delivery" ? one : all;
  return (
    <ConfirmDialog
      title={kind === "delivery" ? "Replay this delivery?" : "Replay this event to every endpoint?"}
      confirmLabel={kind === "delivery" ? "Replay now" : "Replay event"}
      pendingLabel="Sending…"
      tone="primary"
      onClose={onClose}
      onConfirm={() => void (kind === "delivery" ? one.run({ deliveryId: delivery.id }) : all.run({ eventId: delivery.event.id }))}
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      {kind === "delivery" ? (
        <>
          <span className="font-mono">{delivery.event.type}</span> is sent to {delivery.endpoint.partnerCode} again now, with the same webhook-id, signed with the endpoint&apos;s
          current secret. The attempt is recorded as yours.
        </>
      ) : (
        <>
          Every delivery of event <span className="font-mono">{delivery.event.id}</span> — one per subscribed endpoint — is sent again now, with the same webhook-id.
        </>
      )}
    </ConfirmDialog>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}

function AttemptItem({ attempt, timeZone }: { attempt: DeliveryAttempt; timeZone: string }) {
  const ok = attempt.responseStatus !== null && attempt.failureClass === null;
  return (
    <li className="px-4 py-4" data-testid="attempt" data-attempt-number={attempt.attemptNumber} data-trigger={attempt.trigger} data-response-status={attempt.responseStatus ?? ""}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <span className="font-semibold text-slate-900">#{attempt.attemptNumber}</span>
        <Badge tone={ok ? "success" : "danger"}>{ok ? "Delivered" : "Failed"}</Badge>
        <Badge tone={httpStatusTone(attempt.responseStatus)} className="font-mono">
          HTTP {formatHttpStatus(attempt.responseStatus)}
        </Badge>
        {attempt.failureClass ? <Badge tone="danger">{FAILURE_CLASS_LABELS[attempt.failureClass] ?? attempt.failureClass}</Badge> : null}
        <Badge tone={attempt.trigger === "MANUAL_REPLAY" || attempt.trigger === "BULK_REPLAY" ? "info" : "neutral"}>{TRIGGER_LABELS[attempt.trigger] ?? attempt.trigger}</Badge>
        <span className="text-sm text-slate-700">
          <ZonedTime value={attempt.startedAt} timeZone={timeZone} withSeconds /> · {formatLatency(attempt.durationMs)}
        </span>
      </div>
      <dl className="mt-2 grid grid-cols-[9rem_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-600">Triggered by</dt>
        <dd>{attempt.triggeredBy ? `${attempt.triggeredBy.name} (${attempt.triggeredBy.email})` : attempt.trigger === "SCHEDULED" || attempt.trigger === "RETRY" ? "The delivery schedule" : "System"}</dd>
        <dt className="text-slate-600">Signed with</dt>
        <dd>
          {attempt.signedWith.length ? <BadgeList items={attempt.signedWith.map((v) => ({ id: v, label: v.replace("secret_v", "secret version ") }))} /> : "—"}
        </dd>
        <dt className="text-slate-600">Correlation id</dt>
        <dd className="font-mono text-xs break-all">{attempt.correlationId ?? "—"}</dd>
        {attempt.errorMessage ? (
          <>
            <dt className="text-slate-600">Error</dt>
            <dd className="text-red-800">{attempt.errorMessage}</dd>
          </>
        ) : null}
      </dl>
      <details className="mt-2 group">
        <summary className={cx("cursor-pointer text-sm font-medium text-indigo-800", focusRing)}>Request headers and response</summary>
        <div className="mt-2 grid gap-3 lg:grid-cols-2">
          <div>
            <p className="mb-1 text-xs font-medium text-slate-600">Request headers</p>
            <pre className="max-h-60 overflow-auto rounded-md bg-slate-100 p-2 font-mono text-xs break-all whitespace-pre-wrap text-slate-800">
              {Object.entries(attempt.requestHeaders)
                .map(([k, v]) => `${k}: ${v}`)
                .join("\n") || "—"}
            </pre>
          </div>
          <div>
            <p className="mb-1 text-xs font-medium text-slate-600">Response body{attempt.responseBodyTruncated ? " (first 2 KB)" : ""}</p>
            <pre className="max-h-60 overflow-auto rounded-md bg-slate-100 p-2 font-mono text-xs break-all whitespace-pre-wrap text-slate-800">{attempt.responseBody || "(empty)"}</pre>
          </div>
        </div>
      </details>
    </li>
  );
}
