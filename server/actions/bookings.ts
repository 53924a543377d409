"use server";

import { z } from "zod";
import { BookingReference } from "../domain/bookings/booking-reference";
import { cancelBooking, type CancelBookingInput } from "../domain/bookings/cancel-booking";
import { eraseCustomer } from "../domain/bookings/erase-customer";
import { fulfilBooking } from "../domain/bookings/fulfil-booking";
import { moveOutBooking, MoveOutBookingInput } from "../domain/bookings/move-out-booking";
import { regenerateAccessCode } from "../domain/access/regenerate-access-code";
import { revealAccessCode } from "../domain/access/reveal-access-code";
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

const MoveOutBookingActionInput = MoveOutBookingInput.extend({ reference }).strict();

const RevealAccessCodeActionInput = z.object({ reference }).strict();

const RegenerateAccessCodeActionInput = z
  .object({
    reference,
    reason: z.string().trim().min(1, "Say why the code is replaced.").max(500, "Keep the reason under 500 characters."),
  })
  .strict();

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

export const moveOutBookingAction = consoleAction(
  {
    action: "booking.move_out",
    permission: "booking.fulfil",
    input: MoveOutBookingActionInput,
    target: (input) => ({ type: "booking", id: input.reference }),
  },
  async ({ actor, input: { reference: ref, ...body } }): Promise<BookingActionResult> => {
    const booking = await moveOutBooking(ref, body, actor);
    return { reference: booking.reference, status: booking.status, alreadyDone: !booking.changed };
  },
);

export interface RevealedAccessCodeResult {
  reference: string;
  status: "ACTIVE" | "SUSPENDED";
  /** the gate code, for this screen only: never logged (server/observability/logger.ts redacts accessCode) */
  accessCode: string;
}

/** Reveals a tenant's gate code: counted and audited by the service (docs/domain.md#gate-codes). */
export const revealAccessCodeAction = consoleAction(
  {
    action: "access.reveal",
    permission: "access.reveal",
    input: RevealAccessCodeActionInput,
    target: (input) => ({ type: "booking", id: input.reference }),
  },
  async ({ actor, input }): Promise<RevealedAccessCodeResult> => {
    const revealed = await revealAccessCode(input.reference, actor);
    return { reference: revealed.reference, status: revealed.status, accessCode: revealed.accessCode };
  },
);

export const regenerateAccessCodeAction = consoleAction(
  {
    action: "access.regenerate",
    permission: "access.reveal",
    input: RegenerateAccessCodeActionInput,
    target: (input) => ({ type: "booking", id: input.reference }),
  },
  async ({ actor, input }): Promise<{ reference: string; status: string }> => {
    const result = await regenerateAccessCode(input.reference, { reason: input.reason }, actor);
    return { reference: result.reference, status: result.status };
  },
);
