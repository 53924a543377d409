"use client";

import Link from "next/link";
import { useCallback, useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { Dialog, DialogActions, DialogBody, DialogForm } from "@/components/ui/dialog";
import { focusRing } from "@/components/ui/focus";
import { describedBy, Field, FormAlert, Input, Select } from "@/components/ui/form";
import { blockUnitAction } from "@/server/actions/inventory";
import type { BlockReason } from "@/server/generated/prisma/enums";
import { useInventoryAction } from "./inventory-data";
import { utcToZonedLocal, zonedLocalToUtc } from "./zoned-input";

/** The block reasons (docs/domain.md#maintenance-blocks), as the dialog offers them. */
export const BLOCK_REASON_LABELS: Record<BlockReason, string> = {
  DAMAGE: "Damage",
  CLEANING: "Cleaning",
  PEST: "Pest control",
  LOCK_FAULT: "Lock fault",
  OVERLOCK: "Overlock",
  OTHER: "Other",
};
const REASONS = Object.keys(BLOCK_REASON_LABELS) as BlockReason[];

export interface BlockDone {
  unitCode: string;
  scheduled: boolean;
  startsAt: string;
  movedBooking: { reference: string; toUnitCode: string } | null;
}

type BlockActionData = Extract<Awaited<ReturnType<typeof blockUnitAction>>, { ok: true }>["data"];

interface FormState {
  reason: BlockReason | "";
  note: string;
  start: "now" | "later";
  startsAt: string;
  endsAt: string;
}

/**
 * Block a unit now or from a time, with a reason, a note and an optional end — times in the
 * facility's zone. A conflict names the booking on the unit and, when the domain can move
 * it to another unit of the type, offers that.
 */
export function BlockUnitDialog({
  facilityCode,
  timezone,
  unitCode,
  onClose,
  onDone,
}: {
  facilityCode: string;
  timezone: string;
  unitCode: string;
  onClose: () => void;
  onDone: (done: BlockDone) => void;
}) {
  const id = useId();
  const [form, setForm] = useState<FormState>(() => ({
    reason: "",
    note: "",
    start: "now",
    startsAt: utcToZonedLocal(new Date(Date.now() + 60 * 60_000), timezone),
    endsAt: "",
  }));
  const [localError, setLocalError] = useState<{ startsAt?: string; endsAt?: string }>({});
  const finish = useCallback(
    (data: BlockActionData) =>
      onDone({
        unitCode: data.block.unitCode,
        scheduled: data.block.status === "SCHEDULED",
        startsAt: data.block.startsAt,
        movedBooking: data.movedBooking,
      }),
    [onDone],
  );
  const action = useInventoryAction(blockUnitAction, finish);
  /** A change of the form makes the last refusal stale: it goes, and the next submit judges afresh. */
  const change = (patch: Partial<FormState>) => {
    setForm((current) => ({ ...current, ...patch }));
    if (action.failure) action.reset();
  };

  function submit(moveConflictingBooking = false) {
    const errors: { startsAt?: string; endsAt?: string } = {};
    let startsAt: string | undefined;
    let endsAt: string | undefined;
    if (form.start === "later") {
      const at = zonedLocalToUtc(form.startsAt, timezone);
      if (!at) errors.startsAt = "Enter the date and time the block starts.";
      else startsAt = at.toISOString();
    }
    if (form.endsAt) {
      const at = zonedLocalToUtc(form.endsAt, timezone);
      if (!at) errors.endsAt = "Enter a date and time, or leave it empty for no end.";
      else endsAt = at.toISOString();
    }
    setLocalError(errors);
    if (errors.startsAt || errors.endsAt) return;
    void action.run({
      facility_code: facilityCode,
      unit_code: unitCode,
      // An empty choice is sent as is: the server names the field.
      reason: form.reason as BlockReason,
      note: form.note,
      starts_at: startsAt,
      ends_at: endsAt,
      move_conflicting_booking: moveConflictingBooking,
    });
  }

  const failure = action.failure;
  const conflict = failure?.code === "CONFLICT" && typeof failure.context?.booking_reference === "string" ? failure.context : null;
  const reasonError = errorAt(failure, "reason") && form.reason === "" ? "Choose why the unit is blocked." : errorAt(failure, "reason");
  const startsError = localError.startsAt ?? errorAt(failure, "starts_at");
  const endsError = localError.endsAt ?? errorAt(failure, "ends_at");
  const noteError = errorAt(failure, "note");

  return (
    <Dialog
      onClose={onClose}
      title={
        <>
          Block unit <span className="font-mono">{unitCode}</span>
        </>
      }
      description={`${facilityCode} · times are facility time (${timezone})`}
      data-testid="block-dialog"
    >
      <DialogForm onSubmit={() => submit(false)}>
        <DialogBody>
          <Field id={`${id}-reason`} label="Reason" error={reasonError || undefined}>
            <Select
              id={`${id}-reason`}
              value={form.reason}
              onChange={(e) => change({ reason: e.target.value as BlockReason })}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={describedBy(`${id}-reason`, undefined, reasonError)}
              data-autofocus
            >
              <option value="">Choose a reason…</option>
              {REASONS.map((reason) => (
                <option key={reason} value={reason}>
                  {BLOCK_REASON_LABELS[reason]}
                </option>
              ))}
            </Select>
          </Field>
          <Field id={`${id}-note`} label="Note" optional hint="What is wrong, who is on it." error={noteError}>
            <textarea
              id={`${id}-note`}
              value={form.note}
              onChange={(e) => change({ note: e.target.value })}
              onKeyDown={(e) => {
                // Enter submits the form as in any field; Shift+Enter starts a new line.
                if (e.key === "Enter" && !e.shiftKey) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
              maxLength={1000}
              rows={2}
              className={cx(
                "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500",
                focusRing,
              )}
              aria-describedby={describedBy(`${id}-note`, true, noteError)}
            />
          </Field>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Starts</legend>
            <div className="mt-2 flex flex-wrap items-start gap-x-6 gap-y-2">
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${id}-start`}
                  checked={form.start === "now"}
                  onChange={() => change({ start: "now" })}
                  className={cx("h-4 w-4 accent-indigo-700", focusRing)}
                />
                Now
              </label>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${id}-start`}
                  checked={form.start === "later"}
                  onChange={() => change({ start: "later" })}
                  className={cx("h-4 w-4 accent-indigo-700", focusRing)}
                />
                At a time
              </label>
            </div>
            {form.start === "later" ? (
              <Field id={`${id}-starts`} label="Start (facility time)" className="mt-3" error={startsError} hint={`In ${timezone}. The block starts by itself.`}>
                <Input
                  id={`${id}-starts`}
                  type="datetime-local"
                  step={1}
                  value={form.startsAt}
                  onChange={(e) => change({ startsAt: e.target.value })}
                  aria-invalid={startsError ? true : undefined}
                  aria-describedby={describedBy(`${id}-starts`, true, startsError)}
                />
              </Field>
            ) : null}
          </fieldset>
          <Field id={`${id}-ends`} label="End (facility time)" optional hint="Leave empty to keep the unit blocked until someone unblocks it." error={endsError}>
            <Input
              id={`${id}-ends`}
              type="datetime-local"
              step={1}
              value={form.endsAt}
              onChange={(e) => change({ endsAt: e.target.value })}
              aria-invalid={endsError ? true : undefined}
              aria-describedby={describedBy(`${id}-ends`, true, endsError)}
            />
          </Field>
          {conflict ? (
            <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="block-conflict">
              <p className="font-semibold">
                Booking{" "}
                <Link href={`/bookings/${encodeURIComponent(String(conflict.booking_reference))}`} className="font-mono underline">
                  {String(conflict.booking_reference)}
                </Link>{" "}
                is on this unit ({String(conflict.booking_status)})
              </p>
              <p className="mt-0.5">{failure?.message}</p>
              {conflict.can_move === true ? (
                <Button variant="secondary" size="sm" className="mt-2" onClick={() => submit(true)} disabled={action.pending}>
                  Move {String(conflict.booking_reference)} to another unit of its type, then block
                </Button>
              ) : null}
            </div>
          ) : failure?.code === "VALIDATION_FAILED" ? (
            <ActionFailureAlert failure={failure} fields={["reason", "note", "starts_at", "ends_at"]} />
          ) : failure ? (
            <FormAlert title={failure.code === "FORBIDDEN" ? "Not allowed" : undefined} message={failure.message} reference={failure.correlationId || null} />
          ) : null}
        </DialogBody>
        <DialogActions type="submit" onCancel={onClose} confirmLabel={form.start === "now" ? "Block now" : "Schedule block"} pendingLabel="Saving…" pending={action.pending} />
      </DialogForm>
    </Dialog>
  );
}
