import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Bookings" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function BookingsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("booking.read", pathWithQuery("/bookings", await searchParams));
  return (
    <ComingSoon
      title="Bookings"
      description="Search bookings by reference, partner reference, customer or status."
      arrivesWith="the bookings search and list"
      issue={5}
    />
  );
}
