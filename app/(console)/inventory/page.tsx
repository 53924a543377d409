import type { Metadata } from "next";
import { InventoryOverview } from "@/components/inventory/inventory-overview";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { Prefetched, prefetch, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Inventory" };

export default async function InventoryPage() {
  const user = await requirePermission("inventory.read", "/inventory");
  const scoped = user.role === "SITE_MANAGER";
  return (
    <>
      <PageHeader
        title="Inventory"
        description={
          scoped
            ? "Units by type at your facilities: what is free, held, booked, occupied or blocked."
            : "Units by type at every facility: what is free, held, booked, occupied or blocked."
        }
      />
      <Prefetched
        load={() => prefetch(trpc.inventory.facilities.queryOptions())}
        fallback={<SectionSkeleton label="Loading facilities…" rows={6} testId="inventory-loading" />}
      >
        <InventoryOverview
          emptyHint={
            scoped
              ? "You are not assigned to any facility yet. Ask an admin to add you to yours."
              : "Facilities appear here once they are set up."
          }
        />
      </Prefetched>
    </>
  );
}
