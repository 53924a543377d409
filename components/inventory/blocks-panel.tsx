"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/card";
import type { CsvColumn } from "@/components/ui/csv";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { Skeleton } from "@/components/ui/skeleton";
import { RowAction, RowActions, Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import { BLOCK_REASON_LABELS } from "./block-dialog";
import { BOARD_REFRESH_MS, type UnitBlock } from "./inventory-data";
import { EndBlockDialog } from "./unit-drawer";

const BLOCK_CSV: readonly CsvColumn<UnitBlock>[] = [
  { header: "block_id", value: (b) => b.id },
  { header: "unit_code", value: (b) => b.unitCode },
  { header: "unit_type_code", value: (b) => b.unitTypeCode },
  { header: "status", value: (b) => b.status.toLowerCase() },
  { header: "reason", value: (b) => b.reason },
  { header: "note", value: (b) => b.note },
  { header: "starts_at", value: (b) => b.startsAt },
  { header: "ends_at", value: (b) => b.endsAt },
  { header: "started_at", value: (b) => b.startedAt },
  { header: "created_by", value: (b) => b.createdBy?.email ?? "system" },
];

/** The facility's active and scheduled maintenance blocks, soonest first, with unblock / call off. */
export function BlocksPanel({
  facilityCode,
  timezone,
  canBlock,
  onOpenUnit,
  onChanged,
}: {
  facilityCode: string;
  timezone: string;
  canBlock: boolean;
  onOpenUnit: (code: string) => void;
  onChanged: (message: string) => void;
}) {
  const trpc = useTRPC();
  const input = { facility_code: facilityCode, status: ["ACTIVE" as const, "SCHEDULED" as const], limit: 500 };
  const query = useQuery(trpc.inventory.blocks.queryOptions(input, { refetchInterval: BOARD_REFRESH_MS, refetchIntervalInBackground: false }));
  const [ending, setEnding] = useState<UnitBlock | null>(null);
  const blocks = query.data ? [...query.data].sort((a, b) => a.status.localeCompare(b.status) || a.startsAt.getTime() - b.startsAt.getTime()) : undefined;

  return (
    <Panel
      headingId="blocks-heading"
      title={
        <span className="flex items-center gap-2">
          Blocks
          {blocks ? <Badge tone={blocks.length ? "danger" : "neutral"}>{blocks.length}</Badge> : null}
        </span>
      }
      description="Active and scheduled maintenance blocks. A scheduled block starts by itself; one with an end ends by itself."
      actions={
        <ExportCsvButton
          list={`blocks-${facilityCode}`}
          columns={BLOCK_CSV}
          fetchRows={async () => {
            const result = await query.refetch();
            if (!result.data) throw new Error("The blocks could not be loaded for the export.");
            return result.data;
          }}
        />
      }
    >
      {query.isPending ? (
        <div className="space-y-2 p-4" role="status">
          <span className="sr-only">Loading blocks…</span>
          <Skeleton className="h-8 w-full" />
        </div>
      ) : !blocks ? (
        <div className="p-4">
          <ErrorState title="Blocks could not be loaded" message={describeError(query.error).message} onRetry={() => void query.refetch()} retrying={query.isFetching} />
        </div>
      ) : blocks.length === 0 ? (
        <EmptyState className="m-4" title="No active or scheduled blocks" description="Every unit is in service. Block one from its panel on the board." />
      ) : (
        <Table caption={`Active and scheduled blocks at ${facilityCode}`} className="relative" data-testid="blocks-table">
          <TableHeader columns={["Unit", "Status", "Reason", "Starts", "Ends", "By"]} actions={canBlock ? "Actions" : undefined} />
          <TBody>
            {blocks.map((block) => (
              <Tr key={block.id} data-testid="block-row" data-unit={block.unitCode} data-status={block.status} className="hover:bg-slate-50">
                <Td className="whitespace-nowrap">
                  <button type="button" className="font-mono font-medium text-indigo-800 hover:underline" onClick={() => onOpenUnit(block.unitCode)}>
                    {block.unitCode}
                  </button>
                  <span className="block text-xs text-slate-600">{block.unitTypeCode}</span>
                </Td>
                <Td>
                  <Badge tone={block.status === "ACTIVE" ? "danger" : "warning"}>{block.status.toLowerCase()}</Badge>
                </Td>
                <Td>
                  <span className="block font-medium">{BLOCK_REASON_LABELS[block.reason]}</span>
                  {block.note ? (
                    <span className="block max-w-56 truncate text-xs text-slate-600" title={block.note}>
                      {block.note}
                    </span>
                  ) : null}
                </Td>
                <Td className="text-xs">
                  <ZonedTime value={block.startsAt} timeZone={timezone} />
                </Td>
                <Td className="text-xs">{block.endsAt ? <ZonedTime value={block.endsAt} timeZone={timezone} /> : <span className="text-slate-500">no end</span>}</Td>
                <Td className="max-w-44 truncate text-xs text-slate-700">{block.createdBy?.email ?? "system"}</Td>
                {canBlock ? (
                  <RowActions>
                    <RowAction subject={`the block on ${block.unitCode}`} onClick={() => setEnding(block)}>
                      {block.status === "ACTIVE" ? "Unblock…" : "Call off…"}
                    </RowAction>
                  </RowActions>
                ) : null}
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {ending ? (
        <EndBlockDialog
          block={ending}
          unitCode={ending.unitCode}
          onClose={() => setEnding(null)}
          onDone={(message) => {
            setEnding(null);
            onChanged(message);
          }}
        />
      ) : null}
    </Panel>
  );
}
