import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { connection } from "next/server";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { getAuthOptions } from "./auth-options";

export type { SessionUser };

function userIdOf(session: unknown): string | null {
  const id = (session as { user?: { id?: unknown } } | null)?.user?.id;
  return typeof id === "string" ? id : null;
}

/** When the session was signed in (ms); null for a token from before it was recorded. */
function signedInAtOf(session: unknown): number | null {
  const at = (session as { signedInAt?: unknown } | null)?.signedInAt;
  return typeof at === "number" && Number.isFinite(at) ? at : null;
}

/**
 * The signed-in user, re-read from the database: null when there is no session or the
 * user has been deactivated or deleted since signing in. Deduplicated per request
 * (React cache), never across requests.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  // Per request by nature: never prerendered at build time, never cached.
  await connection();
  const session = await getServerSession(getAuthOptions());
  return loadSessionUser(userIdOf(session), { signedInAt: signedInAtOf(session) });
});
