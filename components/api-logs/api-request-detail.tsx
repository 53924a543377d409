"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { Fragment, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { httpStatusTone } from "@/components/webhooks/format";
import type { AppRouter } from "@/server/api/root";
import { apiLogsHref, apiRequestHref, idempotencyHref, prettyBody, requestLine, SOURCE_LABELS } from "./api-log-params";

type Detail = inferRouterOutputs<AppRouter>["apiLogs"]["get"];
type Request = Detail["request"];

const linkClass = cx("rounded-sm text-indigo-700 hover:underline", focusRing);

/**
 * One logged call: what was asked and what the partner was told, pretty-printed; its key,
 * timing and client; and the links to what it touched — the booking and its timeline,
 * the events' deliveries and the audit entries of the same correlation id, and the other
 * calls that sent the same idempotency key.
 */
export function ApiRequestDetailView({ id }: { id: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.apiLogs.get.queryOptions({ id }));
  if (query.isPending) {
    return (
      <div className="space-y-4" aria-busy="true" aria-label="Loading the request">
        <Skeleton className="h-40 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (query.isError && !query.data) return <QueryErrorState title="The request could not be loaded" query={query} />;
  const { request, sameKey } = query.data!;
  return (
    <div className="space-y-6" data-testid="api-request-detail">
      <Summary request={request} />
      <div className="grid gap-6 xl:grid-cols-2">
        <BodyCard id="request-body" title="Request body" body={request.requestBody} truncated={request.requestTruncated} note="As received, secrets redacted." />
        <BodyCard
          id="response-body"
          title="What the partner was told"
          body={request.responseBody}
          truncated={request.responseTruncated}
          note={`${request.status}${request.code ? ` ${request.code}` : ""}${request.replayed ? " · a replay of the stored answer" : ""}.`}
        />
      </div>
      {request.idempotencyKey ? <SameKey request={request} others={sameKey} /> : null}
    </div>
  );
}

function Summary({ request }: { request: Request }) {
  const rows: [string, ReactNode][] = [
    ["Route", <code key="route" className="font-mono text-xs">{request.route}</code>],
    ["Partner", request.partnerCode ? <Link href={apiLogsHref({ partner: request.partnerCode })} className={linkClass}>{request.partnerCode}</Link> : request.source === "payment_webhook" ? "Payment provider" : "Unknown (no valid key)"],
    ["API key", request.keyPrefix ? <Link href={apiLogsHref({ keyPrefix: request.keyPrefix })} className={cx(linkClass, "font-mono text-xs")}>{request.keyPrefix}…</Link> : "—"],
    [
      "Idempotency key",
      request.idempotencyKey ? (
        <span className="flex flex-wrap items-center gap-2">
          <code className="font-mono text-xs break-all">{request.idempotencyKey}</code>
          {request.replayed ? <Badge tone="info">Replayed</Badge> : null}
          {request.partnerCode ? (
            <Link href={idempotencyHref(request.partnerCode, request.idempotencyKey)} className={cx(linkClass, "text-xs font-medium")} data-testid="inspect-key">
              Inspect key
            </Link>
          ) : null}
        </span>
      ) : (
        "—"
      ),
    ],
    [
      "Correlation id",
      <span key="cid" className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <code className="font-mono text-xs break-all">{request.correlationId}</code>
        <CopyButton value={request.correlationId} label="Copy" />
      </span>,
    ],
    ["Latency", <span key="latency" className="tabular-nums">{request.durationMs} ms</span>],
    ["Received", <span key="at" className="font-mono text-xs">{new Date(request.createdAt).toISOString()}</span>],
    ["Facility", request.facilityCode ?? "—"],
    ["Client IP", request.ip ?? "—"],
    ["User agent", request.userAgent ?? "—"],
    ["Source", SOURCE_LABELS[request.source as keyof typeof SOURCE_LABELS] ?? request.source],
  ];
  return (
    <Card aria-labelledby="request-summary">
      <CardHeader
        id="request-summary"
        title={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone={httpStatusTone(request.status)} data-testid="request-status">
              {request.status}
            </Badge>
            {request.code ? <code className="font-mono text-sm text-red-800" data-testid="request-code">{request.code}</code> : null}
            <code className="font-mono text-sm break-all text-slate-900">{requestLine(request)}</code>
          </span>
        }
        description={<ZonedTime value={request.createdAt} timeZone="UTC" withSeconds />}
      />
      <div className="grid gap-6 px-4 py-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1.5 text-sm">
          {rows.map(([label, value]) => (
            <Fragment key={label}>
              <dt className="font-medium text-slate-600">{label}</dt>
              <dd className="min-w-0 break-words text-slate-900">{value}</dd>
            </Fragment>
          ))}
        </dl>
        <div className="space-y-3 text-sm" data-testid="request-links">
          <div>
            <h3 className="font-medium text-slate-700">Bookings it concerned</h3>
            {request.bookingReferences.length ? (
              <ul className="mt-1 space-y-1">
                {request.bookingReferences.map((reference) => (
                  <li key={reference} className="flex flex-wrap items-center gap-x-3">
                    <Link href={`/bookings/${encodeURIComponent(reference)}`} className={cx(linkClass, "font-mono")} data-testid="request-booking">
                      {reference}
                    </Link>
                    <Link href={`/bookings/${encodeURIComponent(reference)}#timeline-heading`} className={cx(linkClass, "text-xs")}>
                      timeline
                    </Link>
                    <Link href={apiLogsHref({ bookingReference: reference })} className={cx(linkClass, "text-xs")}>
                      every call on it
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mt-1 text-slate-600">None named.</p>
            )}
          </div>
          <div>
            <h3 className="font-medium text-slate-700">What the same request caused</h3>
            <ul className="mt-1 space-y-1">
              <li>
                <Link href={`/webhooks?q=${encodeURIComponent(request.correlationId)}`} className={linkClass} data-testid="request-deliveries">
                  Webhook deliveries of its events
                </Link>
              </li>
              <li>
                <Link href={`/audit?correlationId=${encodeURIComponent(request.correlationId)}`} className={linkClass} data-testid="request-audit">
                  Audit entries
                </Link>
              </li>
              <li>
                <Link href={apiLogsHref({ correlationId: request.correlationId })} className={linkClass}>
                  Every logged call with this correlation id
                </Link>
              </li>
            </ul>
          </div>
          {request.customerHidden ? (
            <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="customer-hidden">
              The call named a booking outside your facilities: customer names, e-mails and phones in its bodies are hidden.
            </p>
          ) : null}
        </div>
      </div>
    </Card>
  );
}

function BodyCard({ id, title, body, truncated, note }: { id: string; title: string; body: string | null; truncated: boolean; note: string }) {
  const pretty = prettyBody(body);
  return (
    <Card aria-labelledby={id} className="min-w-0">
      <CardHeader id={id} title={title} description={note} actions={pretty ? <CopyButton value={pretty} label="Copy" /> : undefined} />
      <div className="px-4 py-4">
        {pretty ? (
          <>
            <pre className="max-h-[32rem] overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100" tabIndex={0} data-testid={id}>
              {pretty}
            </pre>
            {truncated ? <p className="mt-2 text-xs text-amber-800">Cut at 16 KB: the rest was not kept.</p> : null}
          </>
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm text-slate-600" data-testid={id}>
            No body.
          </p>
        )}
      </div>
    </Card>
  );
}

function SameKey({ request, others }: { request: Request; others: Request[] }) {
  return (
    <Card aria-labelledby="same-key">
      <CardHeader
        id="same-key"
        title={`Other calls with this idempotency key (${others.length})`}
        description="The partner's other calls that sent the same key, oldest first: the first request, its replays, a reuse refused."
      />
      {others.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-600">This is the only call with this key.</p>
      ) : (
        <Table caption="Other calls with the same idempotency key">
          <THead>
            <Tr>
              {["Time (UTC)", "Request", "Status", "Replayed"].map((label) => (
                <Th key={label}>{label}</Th>
              ))}
            </Tr>
          </THead>
          <TBody>
            {others.map((other) => (
              <Tr key={other.id} data-testid="same-key-row">
                <Td className="whitespace-nowrap">
                  <ZonedTime value={other.createdAt} timeZone="UTC" withSeconds />
                </Td>
                <Td>
                  <Link href={apiRequestHref(other.id)} className={cx(linkClass, "font-mono text-xs")}>
                    {requestLine(other)}
                  </Link>
                </Td>
                <Td>
                  <Badge tone={httpStatusTone(other.status)}>{other.status}</Badge> {other.code ? <code className="font-mono text-xs text-red-800">{other.code}</code> : null}
                </Td>
                <Td>{other.replayed ? "yes" : "no"}</Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      <p className="border-t border-slate-200 px-4 py-2 text-xs text-slate-600">
        {request.partnerCode ? (
          <Link href={idempotencyHref(request.partnerCode, request.idempotencyKey)} className={linkClass}>
            Open the key in the idempotency inspector
          </Link>
        ) : null}
      </p>
    </Card>
  );
}
