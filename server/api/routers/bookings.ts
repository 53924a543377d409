import { z } from "zod";
import { getBookingTimeline } from "../../domain/bookings/booking-timeline";
import { BookingReference } from "../../domain/bookings/booking-reference";
import { getBooking } from "../../domain/bookings/get-booking";
import { getBookingAccess } from "../../domain/access/get-booking-access";
import { listFilterOptions } from "../../domain/shared/list-filter-options";
import { BookingFilter, exportBookings, SearchBookingsInput, searchBookings } from "../../domain/bookings/search-bookings";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** A booking reference as typed in a URL or a box: BK-7F3K2Q (any case). */
export const BookingReferenceInput = z.object({ reference: BookingReference }).strict();

/** The list's input as TanStack's infinite query sends it (it adds the page direction). */
const SearchInput = SearchBookingsInput.extend({ direction: z.enum(["forward", "backward"]).optional() });

export const bookingsRouter = createTRPCRouter({
  /** One page of the list: search text, filters, keyset cursor; exact matches first. */
  search: permissionProcedure("booking.read")
    .input(SearchInput)
    .query(({ ctx, input: { direction: _direction, ...input } }) => searchBookings(input, ctx.actor)),

  /** Every row matching the filters (up to the export cap), for the CSV export. */
  export: permissionProcedure("booking.read")
    .input(z.object({ filter: BookingFilter.default({}) }).strict())
    .query(({ ctx, input }) => exportBookings(input.filter, ctx.actor)),

  /** The facilities and partners the filter menus offer. */
  filterOptions: permissionProcedure("booking.read").query(({ ctx }) => listFilterOptions(ctx.actor)),

  /** One booking; NOT_FOUND when unknown or outside the user's facilities. */
  get: permissionProcedure("booking.read")
    .input(BookingReferenceInput)
    .query(({ ctx, input }) => getBooking(input.reference, ctx.actor)),

  /** The booking's access grant and its unit's active block; never the code (docs/domain.md#gate-codes). */
  access: permissionProcedure("booking.read")
    .input(BookingReferenceInput)
    .query(({ ctx, input }) => getBookingAccess(input.reference, ctx.actor)),

  /** The booking's lifecycle timeline, grouped by correlation id. */
  timeline: permissionProcedure("booking.read")
    .input(BookingReferenceInput)
    .query(({ ctx, input }) => getBookingTimeline(input.reference, ctx.actor)),
});
