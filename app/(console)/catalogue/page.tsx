import type { Metadata } from "next";
import { CatalogueConsole } from "@/components/catalogue/catalogue-console";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";
import { can } from "@/shared/permissions";

export const metadata: Metadata = { title: "Catalogue" };

/** Facilities, unit types, rates and units (docs/domain.md#catalogue). */
export default async function CataloguePage() {
  const user = await requirePermission("inventory.read", "/catalogue");
  await prefetch(trpc.catalogue.list.queryOptions());
  const canManage = can(user, "catalogue.manage");
  return (
    <>
      <PageHeader
        title="Catalogue"
        description={
          canManage
            ? "Facilities, their unit types and rates, and their units. Codes are kept when renamed; units are retired, never deleted."
            : "Facilities, their unit types and rates, and their units. Ops leads and admins change them."
        }
      />
      <HydrateClient>
        <CatalogueConsole
          canManage={canManage}
          emptyHint={user.role === "SITE_MANAGER" ? "You are not assigned to any facility yet. Ask an admin to add you to yours." : "Facilities appear here once they are set up."}
        />
      </HydrateClient>
    </>
  );
}
