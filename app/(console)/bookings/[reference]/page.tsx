import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Booking" };

export default async function BookingPage({ params }: { params: Promise<{ reference: string }> }) {
  const { reference } = await params;
  await requirePermission("booking.read", `/bookings/${encodeURIComponent(reference)}`);
  return (
    <ComingSoon
      eyebrow="Bookings"
      title={`Booking ${reference}`}
      description="The booking, its unit, its customer and every event in its life."
      arrivesWith="the booking detail and timeline"
      issue={5}
    />
  );
}
