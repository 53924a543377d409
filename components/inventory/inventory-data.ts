"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { useCallback } from "react";
import { useConsoleAction, type ActionResult, type UseConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import type { CsvColumn } from "@/components/ui/csv";
import type { AppRouter } from "@/server/api/root";

type InventoryOutputs = inferRouterOutputs<AppRouter>["inventory"];
export type FacilityBoardData = InventoryOutputs["board"];
export type BoardUnit = FacilityBoardData["units"][number];
export type BoardPool = FacilityBoardData["facility"]["pools"][number];
export type BoardTypeCounts = FacilityBoardData["counts"][number];
export type ActiveHold = InventoryOutputs["holds"]["holds"][number];
export type UnitHistoryData = InventoryOutputs["unit"];
export type UnitBlock = InventoryOutputs["blocks"][number];

export type FacilityBoardInput = inferRouterInputs<AppRouter>["inventory"]["board"];

/** How often the board, the holds and the open unit refresh themselves. */
export const BOARD_REFRESH_MS = 5_000;

/** The columns every export of units starts with (the board's adds each unit's booking and block). */
export const UNIT_CSV_COLUMNS: readonly CsvColumn<BoardUnit>[] = [
  { header: "unit_code", value: (u) => u.code },
  { header: "unit_type_code", value: (u) => u.unitTypeCode },
  { header: "floor", value: (u) => u.floor },
  { header: "status", value: (u) => u.status.toLowerCase() },
  { header: "status_changed_at", value: (u) => u.statusChangedAt },
];

/** What the signed-in user may do at this facility (the server checks again). */
export interface BoardPermissions {
  canBlock: boolean;
  canRelease: boolean;
}

/** A server action run from the board: once it succeeds, every inventory query refetches, then `onDone`. */
export function useInventoryAction<TInput, TData>(
  action: (input: TInput) => Promise<ActionResult<TData>>,
  onDone: (data: TData, input: TInput) => void,
): UseConsoleAction<TInput, TData> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = useCallback(
    async (data: TData, input: TInput) => {
      await queryClient.invalidateQueries({ queryKey: trpc.inventory.pathKey() });
      onDone(data, input);
    },
    [queryClient, trpc, onDone],
  );
  return useConsoleAction(action, { onSuccess });
}

/** Units per request when an export walks every page. */
const EXPORT_PAGE = 500;

/**
 * Every unit under `input`'s filters, page after page (the CSV exports of the board and
 * the catalogue: the filtered units, not just the page on screen).
 */
export function useAllBoardUnits(input: FacilityBoardInput): () => Promise<BoardUnit[]> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(async () => {
    const { after: _after, before: _before, limit: _limit, ...filtersOnly } = input;
    const units: BoardUnit[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await queryClient.fetchQuery(trpc.inventory.board.queryOptions({ ...filtersOnly, limit: EXPORT_PAGE, after }));
      units.push(...page.units);
      if (!page.nextCursor) return units;
      after = page.nextCursor;
    }
  }, [queryClient, trpc, input]);
}
