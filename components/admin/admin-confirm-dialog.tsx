"use client";

import { ActionFailureAlert } from "@/components/actions/action-failure";
import type { ActionResult } from "@/components/actions/use-console-action";
import { ConfirmDialog, type ConfirmDialogProps } from "@/components/ui/dialog";
import { useAdminAction } from "./admin-data";

export interface AdminConfirmDialogProps<TInput, TData> extends Omit<ConfirmDialogProps, "onConfirm" | "pending" | "error"> {
  /** the server action Confirm runs, with `input` */
  action: (input: TInput) => Promise<ActionResult<TData>>;
  input: TInput;
  /** what the action changes, refetched before the dialog closes */
  refetch: "partners" | "users";
}

/** A ConfirmDialog whose Confirm runs a server action: pending while it runs, its refusal shown, closed once it succeeds. */
export function AdminConfirmDialog<TInput, TData>({ action, input, refetch, onClose, ...props }: AdminConfirmDialogProps<TInput, TData>) {
  const run = useAdminAction(action, refetch, onClose);
  return (
    <ConfirmDialog
      {...props}
      onClose={onClose}
      pending={run.pending}
      onConfirm={() => void run.run(input)}
      error={<ActionFailureAlert failure={run.failure} />}
    />
  );
}
