"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { Fragment, useId, useState, type FormEvent, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus";
import { Input } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { httpStatusTone } from "@/components/webhooks/format";
import type { AppRouter } from "@/server/api/root";
import { apiRequestHref, prettyBody, requestLine } from "./api-log-params";

type Inspection = inferRouterOutputs<AppRouter>["apiLogs"]["idempotency"];

const linkClass = cx("rounded-sm text-indigo-700 hover:underline", focusRing);

/** The key's form (partner and key, in the URL so a look-up can be shared) and what it finds. */
export function IdempotencyInspector() {
  const id = useId();
  const { params, update } = useUrlState();
  const partner = params.partner?.trim().toUpperCase() ?? "";
  const key = params.key?.trim() ?? "";
  const [partnerText, setPartnerText] = useState(partner);
  const [keyText, setKeyText] = useState(key);
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.apiLogs.idempotency.queryOptions({ partner, key }), enabled: Boolean(partner && key), retry: false });

  function submit(event: FormEvent) {
    event.preventDefault();
    update({ partner: partnerText.trim().toUpperCase() || null, key: keyText.trim() || null }, { push: true });
  }

  return (
    <div className="space-y-6">
      <Card aria-labelledby={`${id}-lookup`}>
        <CardHeader id={`${id}-lookup`} title="Look up a key" description="A key belongs to one partner: the same key from two partners is two keys." />
        <form onSubmit={submit} role="search" aria-label="Look up an idempotency key" className="flex flex-wrap items-end gap-3 px-4 py-4">
          <div className="w-44">
            <label htmlFor={`${id}-partner`} className="block text-xs font-medium text-slate-700">
              Partner code
            </label>
            <Input id={`${id}-partner`} value={partnerText} onChange={(e) => setPartnerText(e.target.value)} placeholder="MARKETPLACE" className="mt-1 font-mono" required />
          </div>
          <div className="min-w-72 flex-1">
            <label htmlFor={`${id}-key`} className="block text-xs font-medium text-slate-700">
              Idempotency key
            </label>
            <Input
              id={`${id}-key`}
              value={keyText}
              onChange={(e) => setKeyText(e.target.value)}
              placeholder="as the partner sent it in Idempotency-Key"
              className="mt-1 font-mono"
              data-shortcut="search"
              aria-keyshortcuts="/"
              required
            />
          </div>
          <Button type="submit" size="sm">
            Inspect
          </Button>
        </form>
      </Card>
      {!partner || !key ? null : query.isPending ? (
        <div className="space-y-4" aria-busy="true" aria-label="Loading the key">
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-48 w-full" />
        </div>
      ) : query.isError ? (
        describeError(query.error).code === "NOT_FOUND" ? (
          <EmptyState
            title="Nothing under this key"
            description="No stored record and no logged call for this partner and key: it was never sent, it belongs to another partner, or it expired and its calls left the log."
          />
        ) : (
          <QueryErrorState title="The key could not be inspected" query={query} />
        )
      ) : (
        <InspectionView inspection={query.data} />
      )}
    </div>
  );
}

function InspectionView({ inspection }: { inspection: Inspection }) {
  const { record, requests, reuses } = inspection;
  const replays = requests.filter((r) => r.replayed);
  return (
    <div className="space-y-6" data-testid="idempotency-inspection">
      <Card aria-labelledby="idem-record">
        <CardHeader
          id="idem-record"
          title={
            <span className="flex flex-wrap items-center gap-2">
              Stored record
              {record ? <Badge tone={record.state === "COMPLETED" ? "success" : "warning"}>{record.state === "COMPLETED" ? "Completed" : "In progress"}</Badge> : <Badge>Gone</Badge>}
            </span>
          }
          description={
            record
              ? "What a replay of this key returns, byte for byte, until the record expires."
              : "No record is kept for this key any more (records expire after at least 24 h); the calls below are from the request log."
          }
        />
        {record ? <RecordView record={record} /> : null}
      </Card>
      <Card aria-labelledby="idem-requests">
        <CardHeader
          id="idem-requests"
          title={`Calls with this key (${requests.length})`}
          description={`Oldest first: the first request, then ${replays.length} ${replays.length === 1 ? "replay" : "replays"} and any refused reuse.`}
        />
        {requests.length === 0 ? (
          <p className="px-4 py-4 text-sm text-slate-600">No call with this key is in the request log you may see.</p>
        ) : (
          <Table caption="Calls with this idempotency key, oldest first">
            <THead>
              <Tr>
                {["Time (UTC)", "Request", "Status", "Replay", "Correlation id"].map((label) => (
                  <Th key={label}>{label}</Th>
                ))}
              </Tr>
            </THead>
            <TBody>
              {requests.map((r) => (
                <Tr key={r.id} data-testid="idempotency-request" data-replayed={String(r.replayed)} data-status={r.status}>
                  <Td className="whitespace-nowrap font-mono text-xs">{new Date(r.createdAt).toISOString()}</Td>
                  <Td>
                    <Link href={apiRequestHref(r.id)} className={cx(linkClass, "font-mono text-xs")}>
                      {requestLine(r)}
                    </Link>
                  </Td>
                  <Td>
                    <Badge tone={httpStatusTone(r.status)}>{r.status}</Badge> {r.code ? <code className="font-mono text-xs text-red-800">{r.code}</code> : null}
                  </Td>
                  <Td>{r.replayed ? <Badge tone="info">Replayed</Badge> : "—"}</Td>
                  <Td className="max-w-40 truncate font-mono text-xs" title={r.correlationId}>
                    {r.correlationId}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {reuses.map((reuse) => (
        <Card key={reuse.requestId} aria-labelledby={`reuse-${reuse.requestId}`} data-testid="idempotency-reuse">
          <CardHeader
            id={`reuse-${reuse.requestId}`}
            title="Reused with a different request (422 IDEMPOTENCY_KEY_REUSED)"
            description={
              <>
                <Link href={apiRequestHref(reuse.requestId)} className={linkClass}>
                  The refused call
                </Link>{" "}
                at <ZonedTime value={reuse.at} timeZone="UTC" withSeconds />, compared with{" "}
                {reuse.firstRequestId ? (
                  <Link href={apiRequestHref(reuse.firstRequestId)} className={linkClass}>
                    the first request
                  </Link>
                ) : (
                  "the first request (no longer in the log)"
                )}
                , field by field.
              </>
            }
          />
          {reuse.differences.length === 0 ? (
            <p className="px-4 py-4 text-sm text-slate-600">
              {reuse.firstRequestId ? "No difference in the stored bodies (a difference in a redacted or cut-off part, or in If-Match)." : "Nothing to compare with."}
            </p>
          ) : (
            <Table caption="Fields that differ between the first request and the refused one">
              <THead>
                <Tr>
                  {["Field", "First request", "Refused request"].map((label) => (
                    <Th key={label}>{label}</Th>
                  ))}
                </Tr>
              </THead>
              <TBody>
                {reuse.differences.map((d) => (
                  <Tr key={d.field} data-testid="reuse-difference" data-field={d.field}>
                    <Td className="font-mono text-xs font-medium">{d.field}</Td>
                    <Td className="max-w-80 font-mono text-xs break-all text-slate-700">{d.first ?? <span className="text-slate-500">absent</span>}</Td>
                    <Td className="max-w-80 font-mono text-xs break-all text-red-800">{d.refused ?? <span className="text-slate-500">absent</span>}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      ))}
    </div>
  );
}

function RecordView({ record }: { record: NonNullable<Inspection["record"]> }) {
  const rows: [string, ReactNode][] = [
    ["Request", <code key="req" className="font-mono text-xs">{`${record.method} ${record.path}`}</code>],
    ["Fingerprint", <code key="fp" className="font-mono text-xs break-all" title="SHA-256 of method, path, If-Match and the canonical JSON body">{record.fingerprint}</code>],
    ["Stored status", record.responseStatus === null ? "— (no answer stored yet)" : <Badge key="st" tone={httpStatusTone(record.responseStatus)}>{record.responseStatus}</Badge>],
    ["Created", <span key="c" className="font-mono text-xs">{new Date(record.createdAt).toISOString()}</span>],
    [
      "Expires",
      <span key="e" data-testid="idempotency-expires">
        <span className="font-mono text-xs">{new Date(record.expiresAt).toISOString()}</span> {record.expired ? <Badge tone="warning">expired</Badge> : null}
      </span>,
    ],
    ["Replays", <span key="r" data-testid="idempotency-replay-count">{record.replayCount}{record.lastReplayedAt ? ` · last at ${new Date(record.lastReplayedAt).toISOString()}` : ""}</span>],
    [
      "Booking",
      record.bookingReference ? (
        <Link key="b" href={`/bookings/${encodeURIComponent(record.bookingReference)}`} className={cx(linkClass, "font-mono")} data-testid="idempotency-booking">
          {record.bookingReference}
        </Link>
      ) : (
        "—"
      ),
    ],
    ["Correlation id", record.correlationId ? <code key="cid" className="font-mono text-xs break-all">{record.correlationId}</code> : "—"],
  ];
  const pretty = prettyBody(record.responseBody);
  return (
    <div className="grid gap-6 px-4 py-4 xl:grid-cols-2">
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] content-start gap-x-4 gap-y-1.5 text-sm">
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt className="font-medium text-slate-600">{label}</dt>
            <dd className="min-w-0 break-words text-slate-900">{value}</dd>
          </Fragment>
        ))}
      </dl>
      <div className="min-w-0">
        <div className="mb-1 flex items-center justify-between gap-2">
          <span className="text-sm font-medium text-slate-600">Stored response</span>
          {pretty ? <CopyButton value={pretty} label="Copy" /> : null}
        </div>
        {pretty ? (
          <pre className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100" tabIndex={0} data-testid="idempotency-stored-response">
            {pretty}
          </pre>
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 px-3 py-2 text-sm text-slate-600">No response stored yet.</p>
        )}
      </div>
    </div>
  );
}
