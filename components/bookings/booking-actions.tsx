"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, FormDialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/form";
import { cancelBookingAction, fulfilBookingAction, type BookingActionResult } from "@/server/actions/bookings";

export interface BookingActionsProps {
  reference: string;
  unitCode: string;
  /** the user may, and the booking's state allows it (the server checks both again) */
  canCancel: boolean;
  canFulfil: boolean;
  onDone: (message: string) => void | Promise<void>;
}

/** Cancel (reason required, confirmed in a dialog) and move-in, for the roles allowed. */
export function BookingActions({ reference, unitCode, canCancel, canFulfil, onDone }: BookingActionsProps) {
  const [open, setOpen] = useState<"cancel" | "fulfil" | null>(null);
  if (!canCancel && !canFulfil) return null;
  return (
    <>
      {canFulfil ? (
        <Button onClick={() => setOpen("fulfil")} data-testid="fulfil-booking">
          Move in
        </Button>
      ) : null}
      {canCancel ? (
        <Button variant="danger" onClick={() => setOpen("cancel")} data-testid="cancel-booking">
          Cancel booking
        </Button>
      ) : null}
      {open === "cancel" ? (
        <CancelDialog
          reference={reference}
          onClose={() => setOpen(null)}
          onDone={async (result) => {
            setOpen(null);
            await onDone(result.alreadyDone ? `${reference} was already cancelled; nothing changed.` : `${reference} is cancelled.`);
          }}
        />
      ) : null}
      {open === "fulfil" ? (
        <FulfilDialog
          reference={reference}
          unitCode={unitCode}
          onClose={() => setOpen(null)}
          onDone={async (result) => {
            setOpen(null);
            await onDone(result.alreadyDone ? `${reference} had already moved in; nothing changed.` : `${reference} has moved in; an access code was issued.`);
          }}
        />
      ) : null}
    </>
  );
}

function CancelDialog({
  reference,
  onClose,
  onDone,
}: {
  reference: string;
  onClose: () => void;
  onDone: (result: BookingActionResult) => void | Promise<void>;
}) {
  const id = useId();
  const [reason, setReason] = useState("");
  const action = useConsoleAction(cancelBookingAction, { onSuccess: onDone });
  return (
    <FormDialog
      onClose={onClose}
      title={`Cancel ${reference}?`}
      description="The unit goes back on sale at once, any access code is revoked, and the partner is told by webhook. This cannot be undone."
      onSubmit={() => {
        // A second press while the first is on its way is ignored; the server is idempotent anyway.
        if (!action.pending) void action.run({ reference, reason });
      }}
      submitLabel="Cancel booking"
      tone="danger"
      cancelLabel="Keep booking"
      pendingLabel="Cancelling…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["reason"]} />}
      data-testid="cancel-dialog"
    >
      <TextField
        id={`${id}-reason`}
        label="Reason"
        hint="Shown in the timeline and the audit log, and sent to the partner."
        error={errorAt(action.failure, "reason")}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={500}
        required
        data-autofocus
        autoComplete="off"
      />
    </FormDialog>
  );
}

function FulfilDialog({
  reference,
  unitCode,
  onClose,
  onDone,
}: {
  reference: string;
  unitCode: string;
  onClose: () => void;
  onDone: (result: BookingActionResult) => void | Promise<void>;
}) {
  const action = useConsoleAction(fulfilBookingAction, { onSuccess: onDone });
  return (
    <ConfirmDialog
      onClose={onClose}
      onConfirm={() => {
        if (!action.pending) void action.run({ reference });
      }}
      title={`Move ${reference} in?`}
      confirmLabel="Move in"
      pendingLabel="Moving in…"
      tone="primary"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      Unit <span className="font-mono">{unitCode}</span> becomes occupied and the customer gets a gate code. The code is never shown here.
    </ConfirmDialog>
  );
}
