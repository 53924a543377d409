import "server-only";
import { headers } from "next/headers";
import { requestMetaFrom } from "../auth/request-meta";
import { getCurrentUser } from "../auth/session";
import type { ActionRequest } from "./console-action";

/**
 * The caller of the server action being run: the session user, re-read from the
 * database (a disabled user is null), and where the request came from, with the
 * correlation id proxy.ts put on it — built exactly as the tRPC context is.
 */
export async function currentActionRequest(): Promise<ActionRequest> {
  const [user, requestHeaders] = await Promise.all([getCurrentUser(), headers()]);
  return { user, meta: requestMetaFrom(requestHeaders) };
}
