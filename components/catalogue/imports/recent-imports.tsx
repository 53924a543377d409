"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { ZonedTime } from "@/components/ui/zoned-time";
import { IMPORT_STATUS, importRefetchInterval, planSummary } from "./import-format";

/** A facility's latest imports on its catalogue view, with the way to start one (docs/domain.md#catalogue-imports). */
export function RecentImports({ facilityCode, timeZone }: { facilityCode: string; timeZone: string }) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.catalogue.imports.list.queryOptions(
      { facility_code: facilityCode, limit: 5 },
      // while one of them runs, follow it
      { refetchInterval: (q) => (q.state.data?.some((i) => IMPORT_STATUS[i.status].working) ? importRefetchInterval("APPLYING") : false) },
    ),
  );
  const newImport = `/catalogue/imports/new?${new URLSearchParams({ facility: facilityCode })}`;
  return (
    <Card aria-labelledby="imports-heading">
      <CardHeader
        id="imports-heading"
        title="Imports"
        description="Add, change or retire many units at once from a CSV or JSON file; you see what it would change before applying it."
        actions={
          <Link href={newImport} className={buttonClassName("primary", "sm")}>
            Import units…
          </Link>
        }
      />
      {query.isPending ? (
        <div className="space-y-2 p-4" aria-busy="true" aria-label="Loading the imports">
          <Skeleton className="h-6" />
          <Skeleton className="h-6" />
        </div>
      ) : query.isError && !query.data ? (
        <QueryErrorState className="m-4" title="The imports could not be loaded" query={query} />
      ) : query.data.length ? (
        <Table caption={`Recent imports at ${facilityCode}`}>
          <TableHeader columns={["File", "Status", { label: "Rows", numeric: true }, "Changes", "By", "Uploaded"]} />
          <TBody>
            {query.data.map((i) => (
              <Tr key={i.id}>
                <Td>
                  <Link href={`/catalogue/imports/${encodeURIComponent(i.id)}`} className="font-medium text-indigo-800 underline">
                    {i.fileName ?? i.id}
                  </Link>
                </Td>
                <Td>
                  <Badge tone={IMPORT_STATUS[i.status].tone}>{IMPORT_STATUS[i.status].label}</Badge>
                </Td>
                <Td numeric>{i.plan.rows.toLocaleString("en-GB")}</Td>
                <Td className="tabular-nums text-slate-700">
                  {i.status === "PLANNING" ? "…" : planSummary(i.plan)}
                </Td>
                <Td>{i.requestedBy}</Td>
                <Td>
                  <ZonedTime value={i.createdAt} timeZone={timeZone} />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      ) : (
        <p className="px-4 py-3 text-sm text-slate-700">No imports yet at {facilityCode}.</p>
      )}
    </Card>
  );
}
