"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Button } from "@/components/ui/button";
import { FormDialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/form";
import { eraseCustomerAction } from "@/server/actions/bookings";

/**
 * "Erase customer data" for ops leads and admins (docs/domain.md#erasing-a-customer): a
 * reason is required; the booking's facts stay and the partner is told.
 */
export function EraseCustomer({ reference, onDone }: { reference: string; onDone: (message: string) => void | Promise<void> }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const action = useConsoleAction(eraseCustomerAction, {
    onSuccess: async (result) => {
      setOpen(false);
      await onDone(result.alreadyDone ? `The customer of ${reference} was already erased; nothing changed.` : `The customer's personal data on ${reference} is erased.`);
    },
  });
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)} data-testid="erase-customer">
        Erase customer data
      </Button>
      {open ? (
        <FormDialog
          onClose={() => setOpen(false)}
          title={`Erase the customer of ${reference}?`}
          description="Their name, e-mail and phone are removed from the booking, its stored API answers and the request log, for good. The booking, its unit, dates, rate and history stay, and the partner is told to delete its copy."
          onSubmit={() => {
            if (!action.pending) void action.run({ reference, reason });
          }}
          submitLabel="Erase for good"
          tone="danger"
          cancelLabel="Keep"
          pendingLabel="Erasing…"
          pending={action.pending}
          error={<ActionFailureAlert failure={action.failure} fields={["reason"]} />}
          data-testid="erase-dialog"
        >
          <TextField
            id={`${id}-reason`}
            label="Reason"
            hint="Who asked, and how (a ticket number). Kept in the audit log."
            error={errorAt(action.failure, "reason")}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={500}
            required
            data-autofocus
            autoComplete="off"
          />
        </FormDialog>
      ) : null}
    </>
  );
}
