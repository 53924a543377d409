import { fulfilBooking } from "@/server/domain/bookings/fulfil-booking";
import { partnerRoute } from "@/server/http/partner-route";
import { bookingResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const POST = partnerRoute(
  { route: "/api/v1/bookings/{reference}/fulfil", scope: "bookings:write", rateClass: "write", idempotent: true },
  async ({ actor, params, tx }) => {
    const booking = await fulfilBooking(params.reference!, actor, { tx });
    return { status: 200, body: bookingResource(booking), bookingId: booking.id };
  },
);
