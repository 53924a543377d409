"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { Skeleton } from "@/components/ui/skeleton";
import { RowAction, RowActions, Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { useUrlState } from "@/components/ui/use-url-state";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { catalogueUnitsInput, FIRST_PAGE, LISTED_STATUS_ORDER, parseBoardFilters } from "@/components/inventory/board-filters";
import { formatCount } from "@/components/inventory/format";
import { UNIT_CSV_COLUMNS, useAllBoardUnits } from "@/components/inventory/inventory-data";
import { UnitFilters } from "@/components/inventory/unit-filters";
import { UnitPager } from "@/components/inventory/unit-pager";
import { UnitStatusLabel } from "@/components/inventory/unit-status";
import { AddUnitForm } from "./add-unit-form";
import type { CatalogueFacility, CatalogueUnit } from "./catalogue-data";


/**
 * A facility's units in the catalogue (docs/performance.md#catalogue): the board's paged
 * read with retired units listed too — one keyset page of 200 in board order, counts per
 * type and status under the filters, filters and page in the URL, a CSV export of every
 * page — and, for ops leads and admins, adding, retyping and retiring units.
 */
export function CatalogueUnits({
  facility,
  canManage,
  onRetire,
  onRetype,
}: {
  facility: CatalogueFacility;
  canManage: boolean;
  onRetire: (unit: CatalogueUnit) => void;
  onRetype: (unit: CatalogueUnit) => void;
}) {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const filters = useMemo(() => parseBoardFilters(params, LISTED_STATUS_ORDER), [params]);
  const input = useMemo(() => catalogueUnitsInput(facility.code, params), [facility.code, params]);
  const query = useQuery(
    trpc.inventory.board.queryOptions(input, {
      // the previous page stays, dimmed, while the next loads; another facility's never does
      placeholderData: (previous) => (previous?.facility.code === facility.code ? previous : undefined),
    }),
  );
  const exportUnits = useAllBoardUnits(input);
  const data = query.data;
  const inService = facility.unitTypes.reduce((n, t) => n + t.pool.total, 0);
  const loading = query.isPlaceholderData;
  const paged = Boolean(data && (data.prevCursor || data.nextCursor));
  const onPage = (page: { after: string } | { before: string }) => update({ ...FIRST_PAGE, ...page }, { push: true });

  return (
    <Card aria-labelledby="units-heading">
      <CardHeader
        id="units-heading"
        title={
          <span className="flex items-center gap-2">
            Units
            {data ? (
              <Badge tone="neutral">
                {data.matchedCount === data.unfilteredCount ? formatCount(data.unfilteredCount) : `${formatCount(data.matchedCount)} of ${formatCount(data.unfilteredCount)}`}
              </Badge>
            ) : null}
          </span>
        }
        description={data ? `${formatCount(inService)} in service, ${formatCount(Math.max(0, data.unfilteredCount - inService))} retired.` : "Units in service and retired."}
        actions={<ExportCsvButton list={`catalogue-units-${facility.code}`} columns={UNIT_CSV_COLUMNS} fetchRows={exportUnits} />}
      />
      {canManage ? <AddUnitForm key={facility.code} facility={facility} /> : null}
      {!data ? (
        query.isError ? (
          <QueryErrorState className="m-4" title="The units could not be loaded" query={query} />
        ) : (
          <UnitsSkeleton />
        )
      ) : (
        <>
          <UnitFilters
            unitTypes={facility.unitTypes.map((t) => t.code)}
            counts={data.counts}
            floors={data.floors}
            filters={filters}
            statusOrder={LISTED_STATUS_ORDER}
            onChange={(patch) => update({ ...patch, ...FIRST_PAGE })}
          />
          {data.units.length === 0 ? (
            data.unfilteredCount === 0 ? (
              <EmptyState className="m-4" title="No units" description="Units are the rooms customers rent; each belongs to one unit type." />
            ) : (
              <EmptyState className="m-4" title="No units match these filters" description="Change the unit code, type, floor or statuses above, or clear the filters." />
            )
          ) : (
            <div className="space-y-3 py-3" aria-busy={loading}>
              {paged ? (
                <div className="px-4">
                  <UnitPager data={data} loading={loading} onPage={onPage} position="top" />
                </div>
              ) : null}
              <div className={cx("transition-opacity", loading && "opacity-60")}>
                <Table caption={`Units at ${facility.code}`}>
                  <TableHeader columns={["Code", { label: "Floor", numeric: true }, "Type", "Status"]} actions={canManage ? "Actions" : undefined} />
                  <TBody>
                    {data.units.map((u) => (
                      <Tr key={u.code} className={u.status === "RETIRED" ? "text-slate-500" : undefined}>
                        <Td className="font-mono">{u.code}</Td>
                        <Td numeric>{u.floor}</Td>
                        <Td className="font-mono">{u.unitTypeCode}</Td>
                        <Td>
                          <UnitStatusLabel status={u.status} />
                        </Td>
                        {canManage ? (
                          u.status === "RETIRED" ? (
                            <Td />
                          ) : (
                            <RowActions>
                              <RowAction subject={u.code} onClick={() => onRetype(u)}>
                                Change type
                              </RowAction>
                              <RowAction subject={u.code} variant="danger" onClick={() => onRetire(u)}>
                                Retire
                              </RowAction>
                            </RowActions>
                          )
                        ) : null}
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              </div>
              {paged ? (
                <div className="px-4">
                  <UnitPager data={data} loading={loading} onPage={onPage} position="bottom" />
                </div>
              ) : null}
            </div>
          )}
        </>
      )}
    </Card>
  );
}

function UnitsSkeleton() {
  return (
    <div role="status" aria-live="polite" className="space-y-2 px-4 py-4" data-testid="catalogue-units-loading">
      <span className="sr-only">Loading the units…</span>
      <Skeleton className="h-9 w-full" />
      {Array.from({ length: 8 }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}
