"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useConsoleAction, type ActionResult, type UseConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import type { AppRouter } from "@/server/api/root";

export type CatalogueFacility = inferRouterOutputs<AppRouter>["catalogue"]["list"][number];
export type CatalogueUnitType = CatalogueFacility["unitTypes"][number];
/** A unit as the catalogue's paged list has it (the board's read, docs/performance.md#catalogue). */
export type CatalogueUnit = Pick<inferRouterOutputs<AppRouter>["inventory"]["board"]["units"][number], "code" | "floor" | "status" | "unitTypeCode">;

/** A catalogue server action: once it succeeds, refetches the catalogue and the inventory views, then calls `onDone`. */
export function useCatalogueAction<TInput, TData>(
  action: (input: TInput) => Promise<ActionResult<TData>>,
  onDone: (data: TData) => void,
): UseConsoleAction<TInput, TData> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useConsoleAction(action, {
    onSuccess: async (data) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.catalogue.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.inventory.pathKey() }),
      ]);
      onDone(data);
    },
  });
}

/** Whole currency units ("79.00") → integer cents; NaN for anything else. */
export function toCents(value: string): number {
  const trimmed = value.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return Number.NaN;
  return Math.round(Number(trimmed) * 100);
}

export function formatRate(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}
