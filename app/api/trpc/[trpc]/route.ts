import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTRPCContext } from "@/server/api/context";
import { retryAfterMeta } from "@/server/api/errors";
import { appRouter } from "@/server/api/root";
import { logger } from "@/server/observability/logger";

// Reads the session cookie and the database on every call.
export const dynamic = "force-dynamic";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers }),
    // SERVICE_UNAVAILABLE (the database is down) and IDEMPOTENCY_KEY_IN_USE say when to retry
    responseMeta: retryAfterMeta,
    onError({ error, ctx, path }) {
      // Procedure errors are logged where they are mapped; this catches the rest
      // (a context that could not be built, a malformed request).
      if (!ctx && error.code === "INTERNAL_SERVER_ERROR") {
        logger.error({ err: error.cause ?? error, path }, "tRPC request failed before reaching a procedure");
      }
    },
  });
}

export { handler as GET, handler as POST };
