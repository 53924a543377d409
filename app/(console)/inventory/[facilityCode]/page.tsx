import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { ComingSoon } from "@/components/console/coming-soon";
import { getServerCaller } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Facility inventory" };

export default async function FacilityInventoryPage({ params }: { params: Promise<{ facilityCode: string }> }) {
  const { facilityCode } = await params;
  await requirePermission("inventory.read", `/inventory/${encodeURIComponent(facilityCode)}`);
  const caller = await getServerCaller();
  // Outside a site manager's facilities, or no such facility: the same "not found".
  const facility = await caller.inventory.facility({ facilityCode }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  return (
    <ComingSoon
      eyebrow={
        <Link href="/inventory" className="text-indigo-800 hover:underline">
          Inventory
        </Link>
      }
      title={`${facility.code} · ${facility.name}`}
      description={`${facility.city} · ${facility.timezone} · ${facility.pools.length} unit types, ${facility.totals.total} units`}
      arrivesWith="the inventory board, blocks and holds"
      issue={5}
    />
  );
}
