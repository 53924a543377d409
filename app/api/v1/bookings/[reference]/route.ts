import { getBooking } from "@/server/domain/bookings/get-booking";
import { partnerRoute } from "@/server/http/partner-route";
import { bookingResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/bookings/{reference}", scope: "bookings:read", rateClass: "read" },
  async ({ actor, params }) => ({ status: 200, body: bookingResource(await getBooking(params.reference!, actor)) }),
);
