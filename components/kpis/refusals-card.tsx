"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { apiLogsHref } from "@/components/api-logs/api-log-params";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";

const REFRESH_MS = 60_000;

/**
 * Error analytics (docs/request-log.md#error-analytics): refused partner calls by problem
 * code × route × partner over the dashboard's range, 401s and 429s split by the key
 * presented. Each bar is a link to /api-logs filtered to exactly its calls.
 */
export function RefusalsCard({ from, to, facility, partner }: { from: Date | string; to: Date | string; facility: string | null; partner: string | null }) {
  const trpc = useTRPC();
  const input = {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    ...(facility ? { facility } : {}),
    ...(partner ? { partner } : {}),
  };
  const query = useQuery(trpc.apiLogs.refusals.queryOptions(input, { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData }));
  return (
    <Card aria-labelledby="kpi-refusals" data-testid="kpi-card" data-kpi="api_refusals">
      <CardHeader
        id="kpi-refusals"
        as="h2"
        title="Refused partner calls"
        description={
          query.data ? (
            <span className="flex items-baseline gap-2">
              <span className="text-xl font-semibold text-slate-900 tabular-nums" data-testid="kpi-summary">
                {query.data.total.toLocaleString("en-GB")}
              </span>
              <span className="text-xs text-slate-600">refused in this range, by code × route × partner</span>
            </span>
          ) : undefined
        }
      />
      <div className="space-y-3 px-4 py-4">
        <p className="text-xs leading-relaxed text-slate-700" data-testid="kpi-definition">
          <span className="font-semibold text-slate-800">Definition. </span>
          Partner API and payment-webhook calls answered 4xx or 5xx, counted live from the request log; 401s and 429s are split by the key
          presented. A call counts for a facility when it named one. Each bar opens exactly its calls in the request log.
        </p>
        {query.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : query.isError && !query.data ? (
          <QueryErrorState title="Refusals could not be counted" query={query} />
        ) : query.data.buckets.length === 0 ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-8 text-center text-sm text-slate-600" data-testid="kpi-empty">
            No refused calls in this range.
          </p>
        ) : (
          <ul className="space-y-1.5" aria-label="Refused calls by code, route and partner, most first">
            {query.data.buckets.map((bucket) => {
              const max = query.data.buckets[0]!.count;
              const href = apiLogsHref({
                status: bucket.status,
                code: bucket.code,
                route: bucket.route,
                partner: bucket.partnerCode,
                keyPrefix: bucket.keyPrefix,
                facility,
                from: input.from,
                to: input.to,
              });
              const label = `${bucket.status} ${bucket.code ?? ""} · ${bucket.route} · ${bucket.partnerCode ?? "no partner"}${bucket.keyPrefix ? ` · key ${bucket.keyPrefix}` : ""}`;
              return (
                <li key={`${bucket.status}|${bucket.code}|${bucket.route}|${bucket.partnerCode}|${bucket.keyPrefix}`}>
                  <Link
                    href={href}
                    className={cx("group block rounded-md px-1 py-1 hover:bg-slate-50", focusRing)}
                    aria-label={`${label}: ${bucket.count} calls — open them in the request log`}
                    data-testid="refusal-bar"
                    data-status={bucket.status}
                    data-code={bucket.code ?? ""}
                  >
                    <span className="flex items-baseline justify-between gap-3 text-xs">
                      <span className="min-w-0 truncate">
                        <span className="font-semibold text-red-800">{bucket.status}</span>{" "}
                        <code className="font-mono text-slate-900">{bucket.code ?? "—"}</code>{" "}
                        <span className="font-mono text-slate-600">{bucket.route}</span>{" "}
                        <span className="text-slate-700">{bucket.partnerCode ?? "no partner"}</span>
                        {bucket.keyPrefix ? <span className="font-mono text-slate-500"> · {bucket.keyPrefix}…</span> : null}
                      </span>
                      <span className="shrink-0 font-semibold text-slate-900 tabular-nums">{bucket.count}</span>
                    </span>
                    <span className="mt-0.5 block h-2 rounded-full bg-slate-100">
                      <span
                        className="block h-2 rounded-full bg-rose-600 group-hover:bg-rose-700"
                        style={{ width: `${Math.max(2, Math.round((bucket.count / max) * 100))}%` }}
                      />
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </Card>
  );
}
