"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { formatLatency } from "@/components/ui/time-format";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { formatDuration, formatRate, rateTone, shortUrl } from "./format";
import { WEBHOOKS_REFRESH_MS, type EndpointWithHealth } from "./webhooks-data";

const COLUMNS = [
  "Endpoint",
  "Status",
  { label: "Success (24 h)", numeric: true },
  { label: "p50 / p95", numeric: true },
  "Last success",
  "Behind by",
  { label: "Pending / dead", numeric: true },
] as const;

/** Every partner endpoint and its health, refreshed every few seconds. */
export function EndpointsPanel({ onShowDead }: { onShowDead: (endpointId: string) => void }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.webhooks.endpoints.queryOptions(undefined, { refetchInterval: WEBHOOKS_REFRESH_MS }));

  let body: React.ReactNode;
  if (query.isPending) {
    body = (
      <div className="space-y-2 p-4" aria-busy="true" aria-label="Loading endpoints">
        <Skeleton className="h-8 w-full" />
        <Skeleton className="h-8 w-full" />
        <Skeleton className="h-8 w-2/3" />
      </div>
    );
  } else if (query.isError && !query.data) {
    body = (
      <div className="p-4">
        <QueryErrorState title="Endpoints could not be loaded" query={query} />
      </div>
    );
  } else if (!query.data?.length) {
    body = <EmptyState className="m-4" title="No webhook endpoints yet" description="Partners add endpoints through the API (POST /api/v1/webhook-endpoints)." />;
  } else {
    body = (
      <Table caption="Webhook endpoints and their health">
        <TableHeader columns={COLUMNS} />
        <TBody>
          {query.data.map((endpoint) => (
            <EndpointRow key={endpoint.id} endpoint={endpoint} onShowDead={onShowDead} />
          ))}
        </TBody>
      </Table>
    );
  }

  return (
    <Panel
      headingId="endpoints-heading"
      title="Endpoints"
      description="Each partner endpoint's delivery health over the last 24 hours, its failure streak and how far behind it is."
    >
      {body}
    </Panel>
  );
}

function EndpointRow({ endpoint, onShowDead }: { endpoint: EndpointWithHealth; onShowDead: (endpointId: string) => void }) {
  const h = endpoint.health;
  return (
    <Tr className="hover:bg-slate-50" data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
      <Td className="max-w-64 min-w-48">
        <Link href={`/webhooks/endpoints/${endpoint.id}`} className={cx("block font-medium text-indigo-800 hover:underline", focusRing)}>
          <span className="font-mono">{endpoint.partnerCode}</span>
          {endpoint.description ? <span className="font-normal text-slate-700"> · {endpoint.description}</span> : null}
        </Link>
        <span className="block truncate font-mono text-xs text-slate-600" title={endpoint.url}>
          {shortUrl(endpoint.url)}
        </span>
      </Td>
      <Td className="max-w-64">
        {endpoint.status === "DISABLED" ? (
          <>
            <StatusBadge status="disabled" />
            {endpoint.disabledReason ? <span className="mt-0.5 block text-xs text-red-800">{endpoint.disabledReason}</span> : null}
          </>
        ) : endpoint.throttledUntil ? (
          <Badge tone="warning" title="The endpoint asked us to wait (429/503 with Retry-After)">
            Throttled
          </Badge>
        ) : (
          <StatusBadge status="active" />
        )}
        {h.consecutiveFailures ? (
          <span className="mt-0.5 block text-xs font-semibold whitespace-nowrap text-red-800" data-testid="failure-streak">
            {h.consecutiveFailures} failed in a row
          </span>
        ) : null}
      </Td>
      <Td numeric>
        <Badge tone={rateTone(h.successRate)}>{formatRate(h.successRate)}</Badge>
        <span className="block text-xs text-slate-500">{h.attempts} attempts</span>
      </Td>
      <Td numeric>
        {formatLatency(h.latencyP50Ms)} / {formatLatency(h.latencyP95Ms)}
      </Td>
      <Td className="min-w-32">
        <ZonedTime value={h.lastSuccessAt} empty="Never" className="tabular-nums" />
      </Td>
      <Td>
        {h.oldestUndelivered ? (
          <span title={`Oldest undelivered: ${h.oldestUndelivered.eventType} ${h.oldestUndelivered.eventId}`}>
            <span className={cx("font-medium tabular-nums", h.oldestUndelivered.lagSeconds > 300 ? "text-red-800" : "text-slate-900")}>
              {formatDuration(h.oldestUndelivered.lagSeconds)}
            </span>
            <span className="block font-mono text-xs text-slate-600">{h.oldestUndelivered.eventType}</span>
          </span>
        ) : (
          <span className="text-slate-600">Up to date</span>
        )}
      </Td>
      <Td numeric>
        {h.pendingDeliveries} /{" "}
        {h.deadDeliveries ? (
          <button
            type="button"
            className={cx("font-semibold text-red-800 underline underline-offset-2", focusRing)}
            onClick={() => onShowDead(endpoint.id)}
            aria-label={`${h.deadDeliveries} dead deliveries of ${endpoint.partnerCode}: show them`}
          >
            {h.deadDeliveries}
          </button>
        ) : (
          0
        )}
      </Td>
    </Tr>
  );
}
