import type { Metadata } from "next";
import { Suspense } from "react";
import { CatalogueConsole, CatalogueSkeleton } from "@/components/catalogue/catalogue-console";
import { catalogueUnitsInput } from "@/components/inventory/board-filters";
import { PageHeader } from "@/components/ui/page-header";
import { getQueryClient, getServerCaller, HydrateClient, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";
import type { SessionUser } from "@/server/domain/users/load-session-user";
import { can } from "@/shared/permissions";

export const metadata: Metadata = { title: "Catalogue" };

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Facilities, unit types, rates and units (docs/domain.md#catalogue). The frame — the
 * header — goes out at once; the catalogue streams in behind a skeleton once its two reads
 * are done: the facilities with their unit types, and one page of the shown facility's
 * units (docs/performance.md#catalogue).
 */
export default async function CataloguePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const query = await searchParams;
  const user = await requirePermission("inventory.read", pathWithQuery("/catalogue", query));
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
      <Suspense fallback={<CatalogueSkeleton />}>
        <CatalogueSection user={user} canManage={canManage} query={query} />
      </Suspense>
    </>
  );
}

async function CatalogueSection({ user, canManage, query }: { user: SessionUser; canManage: boolean; query: SearchParams }) {
  const caller = await getServerCaller();
  const queryClient = getQueryClient();
  const named = typeof query.facility === "string" && query.facility ? query.facility : null;
  // A failure is not thrown: the client finds no data and shows its error state with a retry.
  const unitsOf = (facilityCode: string) => caller.inventory.board(catalogueUnitsInput(facilityCode, query)).catch(() => null);
  // The facility in the URL: its units are read beside the facilities; without one, the first facility's after them.
  const [facilities, namedUnits] = await Promise.all([caller.catalogue.list().catch(() => null), named ? unitsOf(named) : null]);
  if (facilities) {
    queryClient.setQueryData(trpc.catalogue.list.queryKey(), facilities);
    const shown = facilities.find((f) => f.code === named) ?? facilities[0];
    const units = shown ? (shown.code === named ? namedUnits : await unitsOf(shown.code)) : null;
    // The page the client asks for first, already here: no loading flash, no second read.
    if (shown && units) queryClient.setQueryData(trpc.inventory.board.queryKey(catalogueUnitsInput(shown.code, query)), units);
  }
  return (
    <HydrateClient>
      <CatalogueConsole
        canManage={canManage}
        emptyHint={user.role === "SITE_MANAGER" ? "You are not assigned to any facility yet. Ask an admin to add you to yours." : "Facilities appear here once they are set up."}
      />
    </HydrateClient>
  );
}
