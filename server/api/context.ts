import "server-only";
import { getCurrentUser } from "../auth/session";
import { requestMetaFrom } from "../auth/request-meta";
import { createInnerContext, type TRPCContext } from "./trpc";

/**
 * The tRPC context of a request (route handler or server component): the session user,
 * re-read from the database, and where the request came from. The correlation id is
 * the one the proxy put on the request.
 */
export async function createTRPCContext(opts: { headers: Headers }): Promise<TRPCContext> {
  const user = await getCurrentUser();
  return createInnerContext({ user, meta: requestMetaFrom(opts.headers) });
}
