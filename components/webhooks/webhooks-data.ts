"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useCallback } from "react";
import { useTRPC } from "@/components/trpc/client";
import type { AppRouter } from "@/server/api/root";

type WebhooksOutputs = inferRouterOutputs<AppRouter>["webhooks"];
export type EndpointWithHealth = WebhooksOutputs["endpoints"][number];
/** One endpoint as its own page shows it: the list's health plus the pools' acknowledged versions. */
export type EndpointDetail = WebhooksOutputs["endpoint"];
export type DeliveryRow = WebhooksOutputs["deliveries"]["rows"][number];
export type DeliveryDetail = WebhooksOutputs["delivery"];
export type DeliveryAttempt = DeliveryDetail["attempts"][number];

/** How often the webhooks screens refresh themselves. */
export const WEBHOOKS_REFRESH_MS = 10_000;

/** What the signed-in user may do here (shared/permissions.ts `actionsFor`, computed by the page on the server). */
export interface WebhookActions {
  replayDelivery: boolean;
  bulkReplay: boolean;
  manageEndpoints: boolean;
}

/** Refetches the webhooks screens' queries after a server action changed something. */
export function useInvalidateWebhooks(): (what?: "deliveries" | "endpoints" | "all") => Promise<void> {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    async (what = "all") => {
      const keys =
        what === "deliveries"
          ? [trpc.webhooks.deliveries.pathKey(), trpc.webhooks.delivery.pathKey(), trpc.webhooks.deliveryCount.pathKey()]
          : what === "endpoints"
            ? [trpc.webhooks.endpoints.pathKey(), trpc.webhooks.endpoint.pathKey()]
            : [trpc.webhooks.pathKey()];
      await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
    [queryClient, trpc],
  );
}
