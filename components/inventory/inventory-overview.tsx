"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, TFoot, Th, THead, Tr } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { RefreshStatus } from "./refresh-status";
import type { AppRouter } from "@/server/api/root";
import {
  formatArea,
  formatCount,
  formatDimensions,
  formatFacilityTime,
  formatMoney,
  formatOccupancy,
} from "./format";
import { OccupancyBar, OccupancyLegend } from "./occupancy-bar";

type Overview = inferRouterOutputs<AppRouter>["inventory"]["facilities"];
type Facility = Overview["facilities"][number];

const INVENTORY_REFRESH_MS = 10_000;

const COUNTER_COLUMNS = [
  { key: "total", label: "Total" },
  { key: "available", label: "Available" },
  { key: "held", label: "Held" },
  { key: "booked", label: "Booked" },
  { key: "occupied", label: "Occupied" },
  { key: "blocked", label: "Blocked" },
] as const;

/** Every facility the user may see, each pool's counters, refreshed every 10 s. */
export function InventoryOverview({ emptyHint }: { emptyHint?: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.inventory.facilities.queryOptions(undefined, {
      refetchInterval: INVENTORY_REFRESH_MS,
      refetchIntervalInBackground: false,
    }),
  );

  if (query.isPending) return <InventorySkeleton />;

  if (query.isError && !query.data) {
    return (
      <QueryErrorState title="Inventory could not be loaded" query={query} />
    );
  }

  const overview = query.data;
  if (!overview || overview.facilities.length === 0) {
    return <EmptyState title="No facilities yet" description={emptyHint ?? "Facilities appear here once they are set up."} />;
  }

  return (
    <div className="space-y-6">
      <div className="flex min-h-6 flex-wrap items-center justify-between gap-x-6 gap-y-2">
        <OccupancyLegend />
        <RefreshStatus updatedAt={query.dataUpdatedAt} failed={query.isError} fetching={query.isFetching} intervalMs={INVENTORY_REFRESH_MS} />
      </div>
      {overview.facilities.map((facility) => (
        <FacilityCard key={facility.code} facility={facility} asOf={overview.asOf} />
      ))}
    </div>
  );
}

function FacilityCard({ facility, asOf }: { facility: Facility; asOf: Date }) {
  const headingId = `facility-${facility.code}`;
  const href = `/inventory/${encodeURIComponent(facility.code)}`;
  const { totals } = facility;
  return (
    <Card aria-labelledby={headingId} data-testid="facility-card" data-facility={facility.code}>
      <CardHeader
        id={headingId}
        title={
          <Link href={href} className={cx("rounded-sm hover:underline", focusRing)}>
            <span className="font-mono">{facility.code}</span>
            <span className="mx-2 text-slate-400" aria-hidden="true">
              ·
            </span>
            {facility.name}
          </Link>
        }
        description={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span>{facility.city}</span>
            <span>{facility.timezone}</span>
            <span>
              Local time{" "}
              <time dateTime={asOf.toISOString()} className="font-medium text-slate-800" suppressHydrationWarning>
                {formatFacilityTime(asOf, facility.timezone)}
              </time>
            </span>
            {facility.currency ? <span>Rates in {facility.currency}</span> : null}
          </span>
        }
        actions={
          <>
            <Badge tone="neutral">
              {formatCount(totals.total)} units · {formatOccupancy(totals.occupied, totals.total)} occupied
            </Badge>
            <Link href={href} className={buttonClassName("secondary", "sm")}>
              Open board<span className="sr-only"> for {facility.code}</span>
            </Link>
          </>
        }
      />
      {facility.pools.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">No unit types at this facility yet.</p>
      ) : (
        <Table caption={`Unit types at ${facility.code} ${facility.name}`}>
          <THead>
            <Tr>
              <Th>Unit type</Th>
              <Th>Size</Th>
              <Th>Climate</Th>
              <Th numeric>Monthly rate</Th>
              {COUNTER_COLUMNS.map((column) => (
                <Th key={column.key} numeric>
                  {column.label}
                </Th>
              ))}
              <Th className="w-36 2xl:w-72">Occupancy</Th>
              <Th numeric title="inventory_version: rises by 1 with every change of availability">
                Version
              </Th>
            </Tr>
          </THead>
          <TBody>
            {facility.pools.map((pool) => (
              <Tr key={pool.unitTypeCode} className="hover:bg-slate-50">
                <Td className="min-w-36">
                  <span className="block font-mono font-semibold text-slate-900">{pool.unitTypeCode}</span>
                  <span className="block text-xs text-slate-600">{pool.unitTypeName}</span>
                </Td>
                <Td className="whitespace-nowrap">
                  <span className="block">{formatDimensions(pool.widthFt, pool.depthFt)}</span>
                  <span className="block text-xs text-slate-600">{formatArea(pool.areaSqFt)}</span>
                </Td>
                <Td>
                  {pool.climateControlled ? (
                    <Badge tone="info">Yes</Badge>
                  ) : (
                    <span className="text-slate-600">No</span>
                  )}
                </Td>
                <Td numeric>{formatMoney(pool.monthlyRateCents, facility.currency, facility.country)}</Td>
                {COUNTER_COLUMNS.map((column) => (
                  <Td
                    key={column.key}
                    numeric
                    className={cx(
                      column.key === "available" && pool.available > 0 && "font-semibold text-emerald-800",
                      column.key === "blocked" && pool.blocked > 0 && "font-semibold text-red-800",
                      pool[column.key] === 0 && column.key !== "total" && "text-slate-500",
                    )}
                  >
                    {formatCount(pool[column.key])}
                  </Td>
                ))}
                <Td>
                  <div className="flex items-center gap-2">
                    <OccupancyBar counts={pool} className="min-w-24 flex-1" />
                    <span className="w-9 text-right text-xs text-slate-700 tabular-nums">
                      {formatOccupancy(pool.occupied, pool.total)}
                    </span>
                  </div>
                </Td>
                <Td numeric className="font-mono text-xs text-slate-700">
                  v{pool.inventoryVersion}
                </Td>
              </Tr>
            ))}
          </TBody>
          <TFoot>
            <Tr>
              <Th scope="row" colSpan={4} className="text-left">
                {facility.code} total
              </Th>
              {COUNTER_COLUMNS.map((column) => (
                <Td key={column.key} numeric className="font-semibold text-slate-900">
                  {formatCount(totals[column.key])}
                </Td>
              ))}
              <Td>
                <div className="flex items-center gap-2">
                  <OccupancyBar counts={totals} className="min-w-24 flex-1" />
                  <span className="w-9 text-right text-xs text-slate-800 tabular-nums">
                    {formatOccupancy(totals.occupied, totals.total)}
                  </span>
                </div>
              </Td>
              <Td />
            </Tr>
          </TFoot>
        </Table>
      )}
    </Card>
  );
}

function InventorySkeleton() {
  return (
    <div role="status" aria-live="polite" className="space-y-6" data-testid="inventory-loading">
      <span className="sr-only">Loading inventory…</span>
      {[0, 1].map((card) => (
        <div key={card} className="rounded-lg border border-slate-200 bg-white shadow-sm">
          <div className="border-b border-slate-200 px-4 py-4">
            <Skeleton className="h-5 w-64" />
            <Skeleton className="mt-2 h-4 w-96" />
          </div>
          <div className="space-y-3 px-4 py-4">
            {[0, 1, 2, 3].map((row) => (
              <Skeleton key={row} className="h-8 w-full" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
