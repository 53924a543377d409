import { getDb } from "../../db";
import type { Role } from "@/shared/permissions";

/** The signed-in console user as every request sees it: re-read from the database. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** the facilities the user is assigned to (UserFacility rows) */
  facilityIds: string[];
  facilityCodes: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Loads the user a session token names. Called on every request, so that a disabled
 * user, a changed role or changed facilities take effect at once: the token carries
 * only the id and when the user signed in. Returns null when the user is missing or
 * inactive, or when the session was signed in before the user's sessions were ended
 * (disabled, or their role changed: `sessions_valid_after`), re-enabled since or not.
 * `signedInAt` is omitted only by callers that are not a session (tests, scripts).
 */
export async function loadSessionUser(userId: string | null | undefined, session?: { signedInAt: number | null }): Promise<SessionUser | null> {
  if (!userId || !UUID.test(userId)) return null;
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      active: true,
      sessionsValidAfter: true,
      facilities: { select: { facility: { select: { id: true, code: true } } }, orderBy: { facility: { code: "asc" } } },
    },
  });
  if (!user || !user.active) return null;
  if (session && user.sessionsValidAfter && (session.signedInAt ?? 0) < user.sessionsValidAfter.getTime()) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    facilityIds: user.facilities.map((row) => row.facility.id),
    facilityCodes: user.facilities.map((row) => row.facility.code),
  };
}
