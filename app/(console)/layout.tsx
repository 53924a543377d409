import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/console/console-shell";
import { IncidentsBanner } from "@/components/incidents/incidents-banner";
import { SignedOutRedirect } from "@/components/console/signed-out-redirect";
import { can, navItemsFor, ROLE_LABELS } from "@/shared/permissions";
import { getServerCaller } from "@/server/api/server-caller";
import { getCurrentUser } from "@/server/auth/session";

/**
 * The console frame, for the signed-in user as the database has them now.
 *
 * Without a user the layout does not redirect itself: a layout cannot know the URL, and
 * its redirect would win over the page's. Every page below guards itself with
 * requirePermission(…, its path), which redirects to /login?callbackUrl=<that path>
 * (and re-checks on client navigation, which does not re-run this layout).
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) {
    return (
      <>
        {children}
        <SignedOutRedirect />
      </>
    );
  }
  // The open incidents the user may see, beside "Incidents" (a failed count shows none);
  // for those who own incidents, the unacknowledged ones also in a banner on every screen.
  const incidents = can(user, "incident.read")
    ? await getServerCaller()
        .then((caller) => caller.incidents.openCount())
        .catch(() => ({ open: 0, triggered: 0 }))
    : { open: 0, triggered: 0 };
  const needsAttention = can(user, "incident.manage") ? incidents.triggered : 0;
  const scopeLabel =
    user.role === "SITE_MANAGER" ? user.facilityCodes.join(", ") || "No facilities assigned" : "All facilities";
  return (
    <ConsoleShell
      user={{ name: user.name, email: user.email, roleLabel: ROLE_LABELS[user.role], scopeLabel }}
      nav={navItemsFor(user).map(({ href, label }) => ({ href, label, badge: href === "/incidents" ? incidents.open : undefined }))}
      notice={needsAttention ? <IncidentsBanner count={needsAttention} /> : undefined}
    >
      {children}
    </ConsoleShell>
  );
}
