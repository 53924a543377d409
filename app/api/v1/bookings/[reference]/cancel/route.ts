import { cancelBooking } from "@/server/domain/bookings/cancel-booking";
import { CancelBookingBody } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { bookingResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const POST = partnerRoute(
  {
    route: "/api/v1/bookings/{reference}/cancel",
    scope: "bookings:write",
    rateClass: "write",
    body: CancelBookingBody,
    idempotent: true,
  },
  async ({ actor, params, body, tx }) => {
    const booking = await cancelBooking(params.reference!, body, actor, { tx });
    return { status: 200, body: bookingResource(booking), bookingId: booking.id };
  },
);
