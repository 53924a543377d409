"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useCallback } from "react";
import { useConsoleAction, type ActionResult, type UseConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import type { AppRouter } from "@/server/api/root";

type AdminOutputs = inferRouterOutputs<AppRouter>["admin"];
export type AdminPartner = AdminOutputs["partners"][number];
export type AdminApiKey = AdminPartner["keys"][number];
export type AdminUser = AdminOutputs["users"][number];
export type AdminOptions = AdminOutputs["options"];

/** Refetches what the admin screen shows after a server action changed it. */
export function useInvalidateAdmin(): (what: "partners" | "users") => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    (what) =>
      queryClient.invalidateQueries({
        queryKey: what === "partners" ? trpc.admin.partners.queryKey() : trpc.admin.users.queryKey(),
      }),
    [queryClient, trpc],
  );
}

/** A server action run from an admin dialog: once it succeeds, refetches `what` it changed, then calls `onDone`. */
export function useAdminAction<TInput, TData>(
  action: (input: TInput) => Promise<ActionResult<TData>>,
  what: "partners" | "users",
  onDone: (data: TData) => void,
): UseConsoleAction<TInput, TData> {
  const invalidate = useInvalidateAdmin();
  return useConsoleAction(action, {
    onSuccess: async (data) => {
      await invalidate(what);
      onDone(data);
    },
  });
}
