"use server";

import { z } from "zod";
import { BookingReference } from "../domain/bookings/booking-reference";
import { cancelBooking, type CancelBookingInput } from "../domain/bookings/cancel-booking";
import { eraseCustomer } from "../domain/bookings/erase-customer";
import { fulfilBooking } from "../domain/bookings/fulfil-booking";
import { consoleAction } from "./console-action";

/**
 * The booking screen's mutations (docs/domain.md#roles-and-permissions: cancel for every
 * role, a site manager at their own facilities; move-in for site managers, ops leads and
 * admins). Each checks session, permission and input itself (./console-action) and calls
 * the same domain service the partner API calls; the service locks the booking, scopes it
 * to the user's facilities (outside them: NOT_FOUND) and audits what it did;
 * ./console-action audits a refusal. Nothing reads the booking before the service: the
 * service's own answer (its NOT_FOUND included) is the only one, and it is audited.
 */

const reference = BookingReference;

const CancelBookingActionInput = z
  .object({
    reference,
    reason: z.string().trim().min(1, "Say why the booking is cancelled.").max(500, "Keep the reason under 500 characters."),
  })
  .strict();

const FulfilBookingActionInput = z.object({ reference }).strict();

export interface BookingActionResult {
  reference: string;
  status: string;
  /** true when the booking was already in the state asked for: nothing was changed */
  alreadyDone: boolean;
}

export const cancelBookingAction = consoleAction(
  {
    action: "booking.cancel",
    permission: "booking.cancel",
    input: CancelBookingActionInput,
    target: (input) => ({ type: "booking", id: input.reference }),
  },
  async ({ actor, input }): Promise<BookingActionResult> => {
    const body: CancelBookingInput = { reason: input.reason };
    const booking = await cancelBooking(input.reference, body, actor);
    return { reference: booking.reference, status: booking.status, alreadyDone: !booking.changed };
  },
);

export const fulfilBookingAction = consoleAction(
  {
    action: "booking.fulfil",
    permission: "booking.fulfil",
    input: FulfilBookingActionInput,
    target: (input) => ({ type: "booking", id: input.reference }),
  },
  async ({ actor, input }): Promise<BookingActionResult> => {
    const booking = await fulfilBooking(input.reference, actor);
    return { reference: booking.reference, status: booking.status, alreadyDone: !booking.changed };
  },
);

const EraseCustomerActionInput = z
  .object({
    reference,
    reason: z.string().trim().min(1, "Say who asked and how (e.g. the ticket).").max(500, "Keep the reason under 500 characters."),
  })
  .strict();

/** Erase the customer's personal data (ops leads and admins; docs/domain.md#erasing-a-customer). */
export const eraseCustomerAction = consoleAction(
  {
    action: "customer.erase",
    permission: "customer.erase",
    input: EraseCustomerActionInput,
    target: (input) => ({ type: "booking", id: input.reference }),
  },
  async ({ actor, input }): Promise<BookingActionResult> => {
    const booking = await eraseCustomer(input.reference, { reason: input.reason }, actor);
    return { reference: booking.reference, status: booking.status, alreadyDone: !booking.changed };
  },
);
