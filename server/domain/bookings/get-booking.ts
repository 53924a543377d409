import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { inScope } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";
import { bookingViewInclude, toBookingView, type BookingView } from "./booking-view";

/** A booking by reference, if the actor may see it (partners: their own; users: their facilities). */
export async function getBooking(reference: string, actor: Actor, now = new Date()): Promise<BookingView> {
  const booking = await getDb().booking.findFirst({
    where: {
      reference,
      ...(actor.type === "PARTNER" ? { partnerId: actor.id } : {}),
      ...inScope(actor),
    },
    include: bookingViewInclude,
  });
  if (!booking) throw new DomainError("NOT_FOUND", `Booking ${reference} was not found.`);
  return toBookingView(booking, now);
}
