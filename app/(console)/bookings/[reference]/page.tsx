import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { BookingDetail } from "@/components/bookings/booking-detail";
import { getQueryClient, getServerCaller, HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";
import { can } from "@/shared/permissions";

type Params = Promise<{ reference: string }>;

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { reference } = await params;
  return { title: `Booking ${decoded(reference).toUpperCase()}` };
}

export default async function BookingPage({ params }: { params: Params }) {
  const { reference: raw } = await params;
  const user = await requirePermission("booking.read", `/bookings/${encodeURIComponent(raw)}`);
  const caller = await getServerCaller();
  // Unknown, malformed, or outside a site manager's facilities: the same "not found".
  const booking = await caller.bookings.get({ reference: decoded(raw) }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  const reference = booking.reference;
  // The booking the page asks for first, already read: not read a second time.
  getQueryClient().setQueryData(trpc.bookings.get.queryKey({ reference }), booking);
  await Promise.all([
    prefetch(trpc.bookings.timeline.queryOptions({ reference })),
    prefetch(trpc.bookings.access.queryOptions({ reference })),
  ]);
  return (
    <HydrateClient>
      <BookingDetail
        reference={reference}
        permissions={{
          cancel: can(user, "booking.cancel", booking.facilityId),
          fulfil: can(user, "booking.fulfil", booking.facilityId),
          revealAccess: can(user, "access.reveal", booking.facilityId),
          eraseCustomer: can(user, "customer.erase", booking.facilityId),
        }}
      />
    </HydrateClient>
  );
}
