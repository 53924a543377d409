import "server-only";
import { cache, createElement, Suspense, type ReactNode } from "react";
import { headers } from "next/headers";
import { dehydrate, HydrationBoundary, QueryClient, type FetchQueryOptions, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import superjson from "superjson";
import { createTRPCContext } from "./context";
import { appRouter } from "./root";

/**
 * tRPC in server components (docs/conventions.md#console-reads-and-mutations): prefetch
 * through the router itself (no HTTP hop) into a per-request query client, then hand its
 * cache to the client components with <HydrateClient>, which read it through the same query
 * keys.
 */

/** One query client per request (React cache), never shared between requests. */
export const getQueryClient = cache(
  () =>
    new QueryClient({
      defaultOptions: {
        queries: { staleTime: 10_000 },
        dehydrate: { serializeData: superjson.serialize },
      },
    }),
);

const getContext = cache(async () => createTRPCContext({ headers: await headers() }));

/** Query options for server components: `prefetch(trpc.inventory.facilities.queryOptions())`. */
export const trpc = createTRPCOptionsProxy({ router: appRouter, ctx: getContext, queryClient: getQueryClient });

/** Calls procedures directly, as the signed-in user (errors are thrown as TRPCError). */
export async function getServerCaller() {
  return appRouter.createCaller(await getContext());
}

/**
 * Runs a query into this request's cache. Failures are not thrown: the client
 * component finds no data and shows its own error state with a retry.
 */
export async function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  options: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): Promise<void> {
  await getQueryClient().prefetchQuery(options);
}

/** Sends what this request prefetched to the client components below it. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return createElement(HydrationBoundary, { state: dehydrate(getQueryClient()) }, children);
}

/**
 * A page's slow part, streamed (docs/performance.md#console-pages): the frame around it goes
 * out at once, `fallback` in its place; once `load` (this request's prefetches for it) is
 * done, `children` follow with what it prefetched. Checks that decide the whole page
 * (permission, not found) stay outside, before anything is sent.
 */
export function Prefetched({ load, fallback, children }: { load: () => Promise<unknown>; fallback: ReactNode; children: ReactNode }) {
  return createElement(Suspense, { fallback }, createElement(PrefetchedBody as unknown as (props: { load: () => Promise<unknown>; children: ReactNode }) => ReactNode, { load, children }));
}

async function PrefetchedBody({ load, children }: { load: () => Promise<unknown>; children: ReactNode }) {
  await load();
  return createElement(HydrateClient, null, children);
}
