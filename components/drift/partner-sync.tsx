"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { cx } from "@/components/ui/cx";
import { Checkbox, Select } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import type { AppRouter } from "@/server/api/root";

type SyncRow = inferRouterOutputs<AppRouter>["drift"]["partnerSync"]["rows"][number];

const SYNC_CSV = [
  { header: "partner", value: (r: SyncRow) => r.partnerCode },
  { header: "endpoint", value: (r: SyncRow) => r.endpointId },
  { header: "facility", value: (r: SyncRow) => r.facilityCode },
  { header: "unit_type", value: (r: SyncRow) => r.unitTypeCode },
  { header: "current_version", value: (r: SyncRow) => r.currentVersion },
  { header: "acked_version", value: (r: SyncRow) => r.ackedVersion },
  { header: "acked_at", value: (r: SyncRow) => (r.ackedAt ? new Date(r.ackedAt) : null) },
  { header: "lag_versions", value: (r: SyncRow) => r.lagVersions },
  { header: "missed_versions", value: (r: SyncRow) => r.missedVersions.join(" ") },
  { header: "in_flight_versions", value: (r: SyncRow) => r.pendingVersions },
  { header: "available", value: (r: SyncRow) => r.available },
  { header: "snapshot_available", value: (r: SyncRow) => r.snapshot?.available ?? null },
  { header: "snapshot_version", value: (r: SyncRow) => r.snapshot?.inventoryVersion ?? null },
  { header: "snapshot_at", value: (r: SyncRow) => (r.snapshot ? new Date(r.snapshot.reportedAt) : null) },
];

function behind(row: SyncRow): boolean {
  return (row.lagVersions ?? 0) > 0 || (row.snapshot !== null && row.snapshot.available !== row.available);
}

/** Per partner: each endpoint's acknowledged inventory_version against the pool's, and the partner's latest snapshot. */
export function PartnerSync() {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const query = useQuery(trpc.drift.partnerSync.queryOptions(undefined, { refetchInterval: 15_000, refetchIntervalInBackground: false }));

  if (query.isPending) return <Skeleton className="h-72" />;
  if (query.isError && !query.data) {
    return (
      <QueryErrorState title="The partner sync view could not be loaded" query={query} />
    );
  }
  const all = query.data!.rows;
  const partners = [...new Set(all.map((r) => r.partnerCode))];
  const showAll = params.show === "all";
  const rows = all.filter((r) => (!params.partner || r.partnerCode === params.partner) && (showAll || behind(r)));

  return (
    <Card aria-labelledby="partner-sync">
      <CardHeader
        id="partner-sync"
        title="Partner sync"
        description="What each partner's endpoints acknowledged (answered 2xx) against each pool's current inventory_version, the versions they missed (dead or never delivered) and the partner's latest reported availability."
        actions={<ExportCsvButton list="partner-sync" columns={SYNC_CSV} fetchRows={async () => rows} />}
      />
      <div className="flex flex-wrap items-center gap-4 border-b border-slate-200 px-4 py-3">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Partner
          <Select value={params.partner ?? ""} onChange={(e) => update({ partner: e.target.value || null })} aria-label="Partner">
            <option value="">All partners</option>
            {partners.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </Select>
        </label>
        <Checkbox
          id="sync-show-all"
          label="Show pools in sync too"
          checked={showAll}
          onChange={(e) => update({ show: e.target.checked ? "all" : null })}
        />
        <span className="text-xs text-slate-600" aria-live="polite">
          {rows.length} of {all.length} partner × pool rows
        </span>
      </div>
      {rows.length === 0 ? (
        <div className="p-4">
          <EmptyState
            title={all.length === 0 ? "No partner has acknowledged or reported anything yet" : "Every partner is in sync"}
            description={
              all.length === 0
                ? "Rows appear once an endpoint answers an inventory.updated webhook or a partner posts an availability snapshot."
                : "No endpoint is behind and no snapshot disagrees. Tick “Show pools in sync too” to see every row."
            }
          />
        </div>
      ) : (
        <Table caption="Partner sync per pool">
          <THead>
            <Tr>
              <Th>Partner</Th>
              <Th>Endpoint</Th>
              <Th>Pool</Th>
              <Th numeric>Current</Th>
              <Th numeric>Acked</Th>
              <Th numeric>Behind</Th>
              <Th>Missed versions</Th>
              <Th>Acked at</Th>
              <Th>Latest snapshot</Th>
            </Tr>
          </THead>
          <TBody>
            {rows.map((r) => (
              <Tr key={`${r.partnerCode}|${r.endpointId}|${r.facilityCode}|${r.unitTypeCode}`} data-testid="sync-row">
                <Td className="font-medium">{r.partnerCode}</Td>
                <Td className="max-w-[9rem] truncate font-mono text-xs" title={[r.endpointId, r.endpointUrl].filter(Boolean).join(" · ") || undefined}>
                  {r.endpointId ?? "—"}
                  {r.endpointStatus === "DISABLED" ? (
                    <Badge tone="neutral" className="ml-1">
                      disabled
                    </Badge>
                  ) : null}
                </Td>
                <Td className="whitespace-nowrap">
                  <span className="font-mono text-xs">{r.facilityCode}</span> {r.unitTypeCode}
                </Td>
                <Td numeric>v{r.currentVersion}</Td>
                <Td numeric>{r.ackedVersion === null ? "—" : `v${r.ackedVersion}`}</Td>
                <Td numeric>
                  {r.lagVersions === null ? "—" : r.lagVersions === 0 ? <Badge tone="success">in sync</Badge> : <Badge tone="warning">{r.lagVersions}</Badge>}
                </Td>
                <Td className="text-xs">
                  {r.missedVersions.length ? (
                    <span className="font-medium text-red-800">{r.missedVersions.map((v) => `v${v}`).join(", ")}</span>
                  ) : (r.lagVersions ?? 0) > 0 ? (
                    <span className="text-slate-600">{r.pendingVersions} in flight</span>
                  ) : (
                    "—"
                  )}
                </Td>
                <Td>
                  <ZonedTime value={r.ackedAt} timeZone={r.timezone} />
                </Td>
                <Td className="text-xs">
                  {r.snapshot ? (
                    <>
                      <span className={cx("block whitespace-nowrap", r.snapshot.available !== r.available && "font-medium text-red-800")}>
                        {r.snapshot.available} free at v{r.snapshot.inventoryVersion}
                      </span>
                      <span className="block whitespace-nowrap text-slate-600">pool: {r.available} free</span>
                    </>
                  ) : (
                    "—"
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
