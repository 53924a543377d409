"use client";

import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { TRPCProvider } from "./trpc/client";
import { isUnauthorized, shouldRetry } from "./trpc/errors";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      // The session ended or the user was disabled: back to the login page, then here.
      onError(error) {
        if (typeof window !== "undefined" && isUnauthorized(error)) {
          const back = window.location.pathname + window.location.search;
          window.location.assign(`/login?${new URLSearchParams({ callbackUrl: back })}`);
        }
      },
    }),
    defaultOptions: {
      queries: { staleTime: 5_000, retry: shouldRetry },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

function getQueryClient(): QueryClient {
  // On the server every render gets its own; in the browser one lives for the tab.
  if (typeof window === "undefined") return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}

export function Providers({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
