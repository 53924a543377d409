"use client";

import { useEffect, useId, useRef, type FormEvent, type HTMLAttributes, type ReactNode } from "react";
import { Button } from "./button";
import { cx } from "./cx";
import { focusRing } from "./focus";

export interface DialogProps {
  /** true by default: mount the dialog when it is wanted, or toggle this */
  open?: boolean;
  /** Escape and the close button call this; the dialog closes when `open` turns false or it unmounts */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  size?: "md" | "lg";
  children: ReactNode;
  className?: string;
  "data-testid"?: string;
}

const WIDTHS = { md: "max-w-lg", lg: "max-w-2xl" } as const;

/**
 * A modal dialog on the native <dialog> (focus kept inside, Escape, the top layer).
 * Its content mounts only while open, so a form starts empty every time. The first
 * element marked `data-autofocus` gets focus, otherwise the first focusable one; on
 * closing, focus goes back where it was. A click on the backdrop does nothing:
 * half-filled forms are not lost by a stray click.
 */
export function Dialog({ open = true, onClose, title, description, size = "md", children, className, ...rest }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const returnFocusTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (returnFocusTo?.isConnected) returnFocusTo.focus();
    };
  }, [open]);

  const content = (
    <>
      <header className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-4">
        <div className="min-w-0">
          <h2 id={titleId} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? (
            <div id={descriptionId} className="mt-1 text-sm text-slate-600">
              {description}
            </div>
          ) : null}
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close"
          className={cx("-mr-1 grid h-8 w-8 shrink-0 place-items-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-800", focusRing)}
        >
          <svg viewBox="0 0 20 20" aria-hidden="true" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M5 5l10 10M15 5L5 15" strokeLinecap="round" />
          </svg>
        </button>
      </header>
      {children}
    </>
  );

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className={cx(
        "m-auto max-h-[calc(100vh-4rem)] w-[calc(100%-2rem)] overflow-hidden rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/50",
        "open:flex open:flex-col",
        WIDTHS[size],
        className,
      )}
      {...rest}
    >
      {open ? content : null}
    </dialog>
  );
}

/** A dialog's content as a form: wraps DialogBody and DialogFooter. Validation is the server's (noValidate). */
export function DialogForm({ className, onSubmit, ...props }: Omit<HTMLAttributes<HTMLFormElement>, "onSubmit"> & { onSubmit: (event: FormEvent<HTMLFormElement>) => void }) {
  return (
    <form
      noValidate
      className={cx("flex min-h-0 flex-1 flex-col", className)}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(event);
      }}
      {...props}
    />
  );
}

export function DialogBody({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cx("min-h-0 flex-1 space-y-4 overflow-y-auto px-5 py-4", className)} {...props} />;
}

export function DialogFooter({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div
      className={cx("flex flex-wrap items-center justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3", className)}
      {...props}
    />
  );
}

export interface DialogActionsProps {
  onCancel: () => void;
  confirmLabel: string;
  /** what the confirm button says while `pending`; the label and an ellipsis by default */
  pendingLabel?: string;
  pending?: boolean;
  /** "submit" submits the form around the footer; "button" calls onConfirm */
  type?: "submit" | "button";
  onConfirm?: () => void;
  tone?: "danger" | "primary";
  /** what the dismiss button says ("Cancel"); say "Keep booking" when the action itself is a cancellation */
  cancelLabel?: string;
  /** Cancel takes the focus when the dialog opens */
  focusCancel?: boolean;
}

/** A dialog's footer: Cancel and the one action, both disabled while the action runs. */
export function DialogActions({
  onCancel,
  confirmLabel,
  pendingLabel,
  pending = false,
  type = "button",
  onConfirm,
  tone = "primary",
  cancelLabel = "Cancel",
  focusCancel = false,
}: DialogActionsProps) {
  return (
    <DialogFooter>
      <Button variant="secondary" onClick={onCancel} disabled={pending} data-autofocus={focusCancel ? true : undefined}>
        {cancelLabel}
      </Button>
      <Button type={type} variant={tone} onClick={onConfirm} disabled={pending} aria-busy={pending}>
        {pending ? (pendingLabel ?? `${confirmLabel}…`) : confirmLabel}
      </Button>
    </DialogFooter>
  );
}

export interface FormDialogContentProps {
  onSubmit: () => void;
  onCancel: () => void;
  submitLabel: string;
  pendingLabel?: string;
  pending?: boolean;
  /** shown below the fields when the submission failed */
  error?: ReactNode;
  /** "danger" for a destructive submit (cancel a booking, release a hold) */
  tone?: "danger" | "primary";
  cancelLabel?: string;
  children: ReactNode;
}

/** A dialog's content as a form: the fields, then Cancel and submit. */
export function FormDialogContent({
  onSubmit,
  onCancel,
  submitLabel,
  pendingLabel,
  pending,
  error,
  tone,
  cancelLabel,
  children,
}: FormDialogContentProps) {
  return (
    <DialogForm onSubmit={onSubmit}>
      <DialogBody>
        {children}
        {error}
      </DialogBody>
      <DialogActions
        type="submit"
        onCancel={onCancel}
        confirmLabel={submitLabel}
        pendingLabel={pendingLabel}
        pending={pending}
        tone={tone}
        cancelLabel={cancelLabel}
      />
    </DialogForm>
  );
}

export type FormDialogProps = Omit<DialogProps, "children"> & Omit<FormDialogContentProps, "onCancel">;

/** A dialog holding one form; Cancel and the close button both call onClose. */
export function FormDialog({ onSubmit, submitLabel, pendingLabel, pending, error, tone, cancelLabel, children, ...dialog }: FormDialogProps) {
  return (
    <Dialog {...dialog}>
      <FormDialogContent
        onSubmit={onSubmit}
        onCancel={dialog.onClose}
        submitLabel={submitLabel}
        pendingLabel={pendingLabel}
        pending={pending}
        error={error}
        tone={tone}
        cancelLabel={cancelLabel}
      >
        {children}
      </FormDialogContent>
    </Dialog>
  );
}

export interface ConfirmDialogProps {
  open?: boolean;
  onClose: () => void;
  onConfirm: () => void;
  title: ReactNode;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  tone?: "danger" | "primary";
  pending?: boolean;
  /** shown above the buttons when the action failed */
  error?: ReactNode;
}

/** "Are you sure?" with the consequences spelled out; Cancel has the focus. */
export function ConfirmDialog({
  open = true,
  onClose,
  onConfirm,
  title,
  children,
  confirmLabel,
  pendingLabel,
  tone = "danger",
  pending = false,
  error,
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={pending ? () => undefined : onClose} title={title}>
      <DialogBody>
        <div className="text-sm text-slate-700">{children}</div>
        {error}
      </DialogBody>
      <DialogActions
        onCancel={onClose}
        onConfirm={onConfirm}
        confirmLabel={confirmLabel}
        pendingLabel={pendingLabel}
        tone={tone}
        pending={pending}
        focusCancel
      />
    </Dialog>
  );
}
