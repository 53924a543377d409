import type { Metadata } from "next";
import { InventoryOverview } from "@/components/inventory/inventory-overview";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Inventory" };

export default async function InventoryPage() {
  const user = await requirePermission("inventory.read", "/inventory");
  await prefetch(trpc.inventory.facilities.queryOptions());
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
      <HydrateClient>
        <InventoryOverview
          emptyHint={
            scoped
              ? "You are not assigned to any facility yet. Ask an admin to add you to yours."
              : "Facilities appear here once they are set up."
          }
        />
      </HydrateClient>
    </>
  );
}
