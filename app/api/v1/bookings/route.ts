import { createHold } from "@/server/domain/bookings/create-hold";
import { CreateBookingBody } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { bookingResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const POST = partnerRoute(
  { route: "/api/v1/bookings", scope: "bookings:write", rateClass: "write", body: CreateBookingBody, idempotent: true },
  async ({ actor, body, tx, idempotencyKey, ifMatch }) => {
    const booking = await createHold(body, actor, { tx, idempotencyKey, expectedInventoryVersion: ifMatch });
    return {
      status: 201,
      body: bookingResource(booking),
      headers: { location: `/api/v1/bookings/${booking.reference}` },
      bookingId: booking.id,
    };
  },
);
