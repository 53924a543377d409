"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, FormDialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/form";
import { cancelBookingAction, fulfilBookingAction, moveOutBookingAction, type BookingActionResult } from "@/server/actions/bookings";

export interface BookingActionsProps {
  reference: string;
  unitCode: string;
  /** the user may, and the booking's state allows it (the server checks both again) */
  canCancel: boolean;
  canFulfil: boolean;
  canMoveOut: boolean;
  onDone: (message: string) => void | Promise<void>;
}

/** Cancel (reason required, confirmed in a dialog) and move-in, for the roles allowed. */
export function BookingActions({ reference, unitCode, canCancel, canFulfil, canMoveOut, onDone }: BookingActionsProps) {
  const [open, setOpen] = useState<"cancel" | "fulfil" | "move_out" | null>(null);
  if (!canCancel && !canFulfil && !canMoveOut) return null;
  return (
    <>
      {canMoveOut ? (
        <Button onClick={() => setOpen("move_out")} data-testid="move-out-booking">
          Move out
        </Button>
      ) : null}
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
      {open === "move_out" ? (
        <MoveOutDialog
          reference={reference}
          unitCode={unitCode}
          onClose={() => setOpen(null)}
          onDone={async (result) => {
            setOpen(null);
            await onDone(
              result.alreadyDone ? `${reference} had already moved out; nothing changed.` : `${reference} has moved out; access is revoked and unit ${unitCode} is blocked for cleaning.`,
            );
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

function MoveOutDialog({
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
  const id = useId();
  const [date, setDate] = useState("");
  const [note, setNote] = useState("");
  const action = useConsoleAction(moveOutBookingAction, { onSuccess: onDone });
  return (
    <FormDialog
      onClose={onClose}
      title={`Move ${reference} out?`}
      description={`The tenant's gate code stops working, and unit ${unitCode} is blocked for cleaning before it goes back on sale. The partner is told by webhook. This cannot be undone.`}
      onSubmit={() => {
        if (!action.pending) void action.run({ reference, ...(date ? { move_out_date: date } : {}), ...(note.trim() ? { note } : {}) });
      }}
      submitLabel="Move out"
      tone="danger"
      cancelLabel="Keep tenancy"
      pendingLabel="Moving out…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["move_out_date", "note"]} />}
      data-testid="move-out-dialog"
    >
      <TextField
        id={`${id}-date`}
        label="Move-out date"
        hint="At the facility; leave empty for today."
        type="date"
        error={errorAt(action.failure, "move_out_date")}
        value={date}
        onChange={(e) => setDate(e.target.value)}
      />
      <TextField
        id={`${id}-note`}
        label="Note"
        hint="Optional; shown in the audit log and on the cleaning block."
        error={errorAt(action.failure, "note")}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        maxLength={500}
        autoComplete="off"
      />
    </FormDialog>
  );
}
