import { moveOutBooking } from "@/server/domain/bookings/move-out-booking";
import { MoveOutBookingBody } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { bookingResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const POST = partnerRoute(
  {
    route: "/api/v1/bookings/{reference}/move-out",
    scope: "bookings:write",
    rateClass: "write",
    body: MoveOutBookingBody,
    idempotent: true,
  },
  async ({ actor, params, body, tx }) => {
    const booking = await moveOutBooking(params.reference!, body, actor, { tx });
    return { status: 200, body: bookingResource(booking), bookingId: booking.id };
  },
);
