"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useCallback } from "react";
import { useConsoleAction, type ActionResult, type UseConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import type { AppRouter } from "@/server/api/root";

type InventoryOutputs = inferRouterOutputs<AppRouter>["inventory"];
export type FacilityBoardData = InventoryOutputs["board"];
export type BoardUnit = FacilityBoardData["units"][number];
export type BoardPool = FacilityBoardData["facility"]["pools"][number];
export type BoardTypeCounts = FacilityBoardData["counts"][number];
export type ActiveHold = InventoryOutputs["holds"]["holds"][number];
export type UnitHistoryData = InventoryOutputs["unit"];
export type UnitBlock = InventoryOutputs["blocks"][number];

/** How often the board, the holds and the open unit refresh themselves. */
export const BOARD_REFRESH_MS = 5_000;

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
