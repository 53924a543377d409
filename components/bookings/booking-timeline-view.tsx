"use client";

import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { ZonedTime } from "@/components/ui/zoned-time";
import { apiLogsHref, apiRequestHref } from "@/components/api-logs/api-log-params";
import type { AppRouter } from "@/server/api/root";
import { actorLabel, eventTitle, formatLatency } from "./format";

type Timeline = inferRouterOutputs<AppRouter>["bookings"]["timeline"];
type Group = Timeline["groups"][number];
type Entry = Group["entries"][number];
type EventEntry = Extract<Entry, { kind: "event" }>;
type Delivery = EventEntry["deliveries"][number];

const EVENT_TONES: Record<string, BadgeTone> = {
  "booking.held": "warning",
  "booking.confirmed": "info",
  "booking.fulfilled": "success",
  "booking.expired": "neutral",
  "booking.cancelled": "danger",
  "access.granted": "success",
  "access.revoked": "danger",
};

const DELIVERY_TONES: Record<string, BadgeTone> = { SUCCEEDED: "success", PENDING: "neutral", RETRYING: "warning", DEAD: "danger" };

/** The booking's life, one card per request (correlation id), oldest first. */
export function BookingTimelineView({ timeline, timeZone }: { timeline: Timeline; timeZone: string }) {
  if (timeline.groups.length === 0) return <p className="px-4 py-6 text-sm text-slate-600">Nothing has happened to this booking yet.</p>;
  return (
    <ol className="space-y-4 px-4 py-4" data-testid="booking-timeline">
      {timeline.groups.map((group, index) => (
        <TimelineGroupView key={group.correlationId ?? `g-${index}`} group={group} timeZone={timeZone} />
      ))}
    </ol>
  );
}

function TimelineGroupView({ group, timeZone }: { group: Group; timeZone: string }) {
  return (
    <li className="rounded-lg border border-slate-200" data-testid="timeline-group" data-correlation-id={group.correlationId ?? ""}>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 rounded-t-lg border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-700">
        <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
          <ZonedTime value={group.startedAt} timeZone={timeZone} withSeconds className="font-medium whitespace-nowrap text-slate-900 tabular-nums" />
          {group.actors.map((actor) => (
            <Badge key={`${actor.type}:${actor.label}`} tone="info">
              {actorLabel(actor)}
            </Badge>
          ))}
        </div>
        <span className="min-w-0 truncate">
          {group.correlationId ? (
            <>
              Correlation id{" "}
              <Link
                href={`/bookings?q=${encodeURIComponent(group.correlationId)}`}
                className={cx("rounded-sm font-mono text-indigo-800 hover:underline", focusRing)}
                title="Find every booking this request touched"
              >
                {group.correlationId}
              </Link>{" "}
              ·{" "}
              <Link
                href={apiLogsHref({ correlationId: group.correlationId })}
                className={cx("rounded-sm text-indigo-800 hover:underline", focusRing)}
                title="The partner API calls of this request, with their bodies"
                data-testid="timeline-group-requests"
              >
                API calls
              </Link>
            </>
          ) : (
            "No request: derived from the booking"
          )}
        </span>
      </div>
      <ol className="divide-y divide-slate-100">
        {group.entries.map((entry) => (
          <EntryView key={entry.key} entry={entry} timeZone={timeZone} />
        ))}
      </ol>
    </li>
  );
}

function EntryRow({
  entry,
  timeZone,
  badge,
  title,
  children,
}: {
  entry: Entry;
  timeZone: string;
  badge?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
}) {
  const anchor = `entry-${entry.key}`;
  return (
    <li id={anchor} className="group scroll-mt-20 px-3 py-2.5 target:bg-amber-50" data-testid="timeline-entry" data-kind={entry.kind}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <ZonedTime value={entry.at} timeZone={timeZone} withSeconds className="w-52 shrink-0 text-xs whitespace-nowrap text-slate-600 tabular-nums" />
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-2 text-sm text-slate-900">
            {badge}
            {title}
            <a
              href={`#${anchor}`}
              className={cx("rounded-sm text-xs text-slate-400 opacity-0 group-hover:opacity-100 hover:text-indigo-800 focus:opacity-100", focusRing)}
              aria-label="Link to this entry"
            >
              #
            </a>
          </div>
          {children ? <div className="mt-1 space-y-1 text-xs text-slate-700">{children}</div> : null}
        </div>
      </div>
    </li>
  );
}

/** The logged call behind an entry, with its bodies. */
function RequestLink({ requestId }: { requestId: string }) {
  return (
    <Link href={apiRequestHref(requestId)} className={cx("mr-4 inline-block rounded-sm text-indigo-800 hover:underline", focusRing)} data-testid="timeline-request-link">
      Open the call
    </Link>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <span className="mr-4 inline-block">
      <span className="text-slate-500">{label}</span> <span className="text-slate-800">{children}</span>
    </span>
  );
}

function EntryView({ entry, timeZone }: { entry: Entry; timeZone: string }) {
  switch (entry.kind) {
    case "event":
      return <EventView entry={entry} timeZone={timeZone} />;
    case "audit":
      return (
        <EntryRow
          entry={entry}
          timeZone={timeZone}
          badge={<Badge tone={entry.result === "SUCCESS" ? "neutral" : "danger"}>Audit · {entry.result.toLowerCase()}</Badge>}
          title={
            <span>
              <span className="font-mono">{entry.action}</span> by <strong className="font-medium">{actorLabel(entry.actor)}</strong>
            </span>
          }
        >
          {entry.action === "booking.move_unit" && str(entry.metadata.from_unit_code) ? (
            <Detail label="Unit moved">
              <span className="font-mono">{str(entry.metadata.from_unit_code)}</span> →{" "}
              <span className="font-mono">{str(entry.metadata.to_unit_code)}</span>
            </Detail>
          ) : null}
          {entry.refusal ? (
            <Detail label="Refused with">
              <code className="font-mono text-red-800" data-testid="refusal-code">
                {entry.refusal.code}
              </code>
            </Detail>
          ) : null}
          {entry.refusal?.request ? (
            <Detail label="Call">
              <span className="font-mono">{entry.refusal.request}</span>
            </Detail>
          ) : null}
          {entry.reason ? <Detail label="Reason">“{entry.reason}”</Detail> : null}
          {entry.refusal?.detail && entry.refusal.detail !== entry.reason ? <Detail label="Answer">{entry.refusal.detail}</Detail> : null}
          {entry.ip ? <Detail label="From">{entry.ip}</Detail> : null}
          {entry.targetType !== "booking" ? (
            <Detail label="Target">
              {entry.targetType} {entry.targetId}
            </Detail>
          ) : null}
        </EntryRow>
      );
    case "idempotency":
      return (
        <EntryRow
          entry={entry}
          timeZone={timeZone}
          badge={<Badge tone="neutral">Idempotency</Badge>}
          title={
            <span>
              <span className="font-mono">
                {entry.method} {entry.path}
              </span>{" "}
              with key <code className="font-mono text-indigo-900">{entry.idempotencyKey}</code>
            </span>
          }
        >
          <Detail label="Answer">{entry.responseStatus ?? (entry.state === "IN_PROGRESS" ? "still running" : "—")}</Detail>
          <Detail label="Replayed">
            {entry.replayCount === 0 ? "never" : `${entry.replayCount} time${entry.replayCount === 1 ? "" : "s"}`}
          </Detail>
          {entry.lastReplayedAt ? (
            <Detail label="Last replay">
              <ZonedTime value={entry.lastReplayedAt} timeZone={timeZone} withSeconds />
            </Detail>
          ) : null}
          <Detail label="Kept until">
            <ZonedTime value={entry.expiresAt} timeZone={timeZone} />
          </Detail>
        </EntryRow>
      );
    case "replay":
      return (
        <EntryRow
          entry={entry}
          timeZone={timeZone}
          badge={<Badge tone="warning">Idempotent replay</Badge>}
          title={
            <span>
              <span className="font-mono">
                {entry.method} {entry.route}
              </span>{" "}
              answered {entry.status} from the stored response{entry.partnerCode ? ` to ${entry.partnerCode}` : ""}
            </span>
          }
        >
          <Detail label="Took">{formatLatency(entry.durationMs)}</Detail>
          <RequestLink requestId={entry.requestId} />
        </EntryRow>
      );
    case "refused_request":
      return (
        <EntryRow
          entry={entry}
          timeZone={timeZone}
          badge={<Badge tone="danger">Refused call · {entry.status}</Badge>}
          title={
            <span>
              <span className="font-mono">
                {entry.method} {entry.route}
              </span>
              {entry.partnerCode ? ` from ${entry.partnerCode}` : ""}
            </span>
          }
        >
          {entry.code ? (
            <Detail label="Refused with">
              <code className="font-mono text-red-800" data-testid="refusal-code">
                {entry.code}
              </code>
            </Detail>
          ) : null}
          {entry.detail ? <Detail label="Answer">{entry.detail}</Detail> : null}
          <RequestLink requestId={entry.requestId} />
        </EntryRow>
      );
    case "payment":
      return (
        <EntryRow
          entry={entry}
          timeZone={timeZone}
          badge={<Badge tone={entry.status === "PROCESSED" ? "success" : entry.status === "FAILED" || entry.status === "REJECTED" ? "danger" : "neutral"}>Payment webhook</Badge>}
          title={
            <span>
              <span className="font-mono">{entry.type ?? "unknown type"}</span> {entry.status.toLowerCase()}
              {entry.outcome ? ` (${entry.outcome.replaceAll("_", " ")})` : ""}
            </span>
          }
        >
          <Detail label="Webhook id">
            <span className="font-mono">{entry.webhookId}</span>
          </Detail>
          {entry.error ? <Detail label="Error">{entry.error}</Detail> : null}
        </EntryRow>
      );
    case "hold_lapsed":
      return (
        <EntryRow entry={entry} timeZone={timeZone} badge={<Badge tone="neutral">Hold lapsed</Badge>} title="The hold ran out">
          The expiry job has not released the unit yet; the booking already counts as expired.
        </EntryRow>
      );
  }
}

function str(value: unknown): string | null {
  return typeof value === "string" || typeof value === "number" ? String(value) : null;
}

function EventView({ entry, timeZone }: { entry: EventEntry; timeZone: string }) {
  const d = entry.data;
  const pool = entry.type === "inventory.updated" || entry.type === "inventory.corrected";
  return (
    <EntryRow
      entry={entry}
      timeZone={timeZone}
      badge={<Badge tone={EVENT_TONES[entry.type] ?? "neutral"}>{eventTitle(entry.type)}</Badge>}
      title={
        pool ? (
          <span className="text-slate-700">
            {str(d.unit_type_code)} pool now <strong className="font-medium">v{str(d.inventory_version)}</strong>: {str(d.available)} available,{" "}
            {str(d.held)} held, {str(d.booked)} booked, {str(d.occupied)} occupied, {str(d.blocked)} blocked
          </span>
        ) : (
          <span>
            {entry.actor ? (
              <>
                by <strong className="font-medium">{actorLabel(entry.actor)}</strong>
              </>
            ) : (
              <span className="text-slate-600">actor not recorded</span>
            )}
            {entry.reason ? (
              <>
                {" "}
                — <span data-testid="event-reason">“{entry.reason}”</span>
              </>
            ) : null}
          </span>
        )
      }
    >
      <div>
        {entry.type === "booking.held" ? (
          <>
            <Detail label="Unit assigned">
              <span className="font-mono">{str(d.unit_code)}</span> ({str(d.unit_type_code)})
            </Detail>
            {str(d.hold_expires_at) ? (
              <Detail label="Hold until">
                <ZonedTime value={str(d.hold_expires_at)} timeZone={timeZone} withSeconds />
              </Detail>
            ) : null}
          </>
        ) : null}
        {entry.type === "booking.expired" && str(d.hold_expired_at) ? (
          <Detail label="Hold ran out">
            <ZonedTime value={str(d.hold_expired_at)} timeZone={timeZone} withSeconds />
          </Detail>
        ) : null}
        {entry.type.startsWith("access.") ? (
          <Detail label="Access grant">
            <span className="font-mono">{str(d.access_grant_id)}</span> (the code itself is never shown)
          </Detail>
        ) : null}
        {!pool && str(d.inventory_version) ? <Detail label="Inventory version">v{str(d.inventory_version)}</Detail> : null}
        {pool && str(d.cause) ? <Detail label="Cause">{str(d.cause)}</Detail> : null}
        <Detail label="Event">
          <span className="font-mono">{entry.eventId}</span> · v{entry.aggregateVersion}
        </Detail>
      </div>
      {entry.deliveries.length ? <DeliveriesView deliveries={entry.deliveries} timeZone={timeZone} /> : <div className="text-slate-500">No webhook subscribers.</div>}
    </EntryRow>
  );
}

function DeliveriesView({ deliveries, timeZone }: { deliveries: readonly Delivery[]; timeZone: string }) {
  return (
    <ul className="mt-1 space-y-1 border-l-2 border-slate-200 pl-3" aria-label="Webhook deliveries">
      {deliveries.map((delivery) => (
        <li key={delivery.id} data-testid="timeline-delivery">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
            <Badge tone={DELIVERY_TONES[delivery.status] ?? "neutral"}>Webhook · {delivery.status.toLowerCase()}</Badge>
            <Link href={`/webhooks/deliveries/${delivery.id}`} className={cx("rounded-sm font-mono text-indigo-800 hover:underline", focusRing)}>
              {delivery.id}
            </Link>
            <span className="text-slate-600">
              to {delivery.partnerCode} <span className="font-mono break-all">{delivery.endpointUrl}</span>
            </span>
            {delivery.nextAttemptAt && delivery.status !== "SUCCEEDED" && delivery.status !== "DEAD" ? (
              <span className="text-slate-600">
                next try <ZonedTime value={delivery.nextAttemptAt} timeZone={timeZone} withSeconds />
              </span>
            ) : null}
          </div>
          {delivery.attempts.length ? (
            <table className="mt-1 text-xs">
              <caption className="sr-only">Attempts of delivery {delivery.id}</caption>
              <thead className="sr-only">
                <tr>
                  <th scope="col">Attempt</th>
                  <th scope="col">Time</th>
                  <th scope="col">Result</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Signed with</th>
                  <th scope="col">Trigger</th>
                </tr>
              </thead>
              <tbody>
                {delivery.attempts.map((attempt) => {
                  const ok = attempt.responseStatus !== null && attempt.responseStatus >= 200 && attempt.responseStatus < 300;
                  return (
                    <tr key={attempt.id} className="text-slate-700" data-testid="timeline-attempt">
                      <td className="pr-3 whitespace-nowrap">#{attempt.attemptNumber}</td>
                      <td className="pr-3">
                        <ZonedTime value={attempt.startedAt} timeZone={timeZone} withSeconds />
                      </td>
                      <td className={cx("pr-3 font-medium whitespace-nowrap", ok ? "text-emerald-800" : "text-red-800")}>
                        {attempt.responseStatus !== null ? `HTTP ${attempt.responseStatus}` : "no answer"}
                        {attempt.failureClass ? ` · ${attempt.failureClass}` : ""}
                      </td>
                      <td className="pr-3 whitespace-nowrap tabular-nums">{formatLatency(attempt.durationMs)}</td>
                      <td className="pr-3 font-mono whitespace-nowrap" title="Which signing secret versions signed it (never the secret)">
                        {attempt.signedWith.join(", ") || "—"}
                      </td>
                      <td className="whitespace-nowrap text-slate-500">
                        {attempt.trigger.toLowerCase().replace("_", " ")}
                        {attempt.triggeredBy ? ` by ${attempt.triggeredBy}` : ""}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <div className="text-slate-500">Not attempted yet.</div>
          )}
        </li>
      ))}
    </ul>
  );
}
