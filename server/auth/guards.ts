import "server-only";
import { forbidden, redirect } from "next/navigation";
import { can, type Permission } from "@/shared/permissions";
import { getCurrentUser, type SessionUser } from "./session";
import { safeCallbackPath } from "@/shared/sign-in-errors";

/** /login, coming back to `callbackPath` afterwards (a same-site path only). */
function loginUrl(callbackPath?: string): string {
  const path = callbackPath ? safeCallbackPath(callbackPath, "") : "";
  return path ? `/login?${new URLSearchParams({ callbackUrl: path })}` : "/login";
}

/** The signed-in, active user; otherwise off to the login page. */
async function requireUser(callbackPath?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(loginUrl(callbackPath));
  return user;
}

/**
 * Guards a console page exactly like its procedures: no session → the login page;
 * missing permission → 403 with the "You don't have access" page (app/(console)/forbidden.tsx).
 * A record outside a site manager's facilities is the page's business: notFound().
 */
export async function requirePermission(permission: Permission | null, callbackPath: string): Promise<SessionUser> {
  const user = await requireUser(callbackPath);
  if (permission && !can(user, permission)) forbidden();
  return user;
}

type SearchParams = Record<string, string | string[] | undefined>;

/** A page's path with its query string, for the callbackUrl (filters live in the URL). */
export function pathWithQuery(path: string, searchParams: SearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, item);
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
