import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/console/console-shell";
import { SignedOutRedirect } from "@/components/console/signed-out-redirect";
import { navItemsFor, ROLE_LABELS } from "@/shared/permissions";
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
  const scopeLabel =
    user.role === "SITE_MANAGER" ? user.facilityCodes.join(", ") || "No facilities assigned" : "All facilities";
  return (
    <ConsoleShell
      user={{ name: user.name, email: user.email, roleLabel: ROLE_LABELS[user.role], scopeLabel }}
      nav={navItemsFor(user).map(({ href, label }) => ({ href, label }))}
    >
      {children}
    </ConsoleShell>
  );
}
