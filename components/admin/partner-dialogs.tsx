"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog, DialogBody, DialogFooter, DialogForm } from "@/components/ui/dialog";
import { describedBy, Field, Input, Select } from "@/components/ui/form";
import { createPartnerAction, updatePartnerAction } from "@/server/actions/admin";
import { useInvalidateAdmin, type AdminPartner } from "./admin-data";
import { formatDuration, minutesToSeconds, partnerKindLabel, secondsToMinutes } from "./format";

const TTL_HINT = "How long a hold lasts before it expires, unless the request sets its own: 1 minute to 24 hours.";
const TTL_ERROR = "Enter a number of minutes between 1 and 1,440 (24 hours).";

function ttlError(message: string | undefined): string | undefined {
  return message ? TTL_ERROR : undefined;
}

export function CreatePartnerDialog({
  kinds,
  onClose,
  onCreated,
}: {
  kinds: string[];
  onClose: () => void;
  onCreated: (code: string) => void;
}) {
  const id = useId();
  const invalidate = useInvalidateAdmin();
  const [form, setForm] = useState({ code: "", name: "", kind: kinds[0] ?? "OTHER", ttlMinutes: "15" });
  const action = useConsoleAction(createPartnerAction, {
    onSuccess: async (data) => {
      await invalidate("partners");
      onCreated(data.code);
    },
  });
  const errors = {
    code: errorAt(action.failure, "code"),
    name: errorAt(action.failure, "name"),
    kind: errorAt(action.failure, "kind"),
    ttl: ttlError(errorAt(action.failure, "holdTtlSeconds")),
  };
  const ttlSeconds = minutesToSeconds(form.ttlMinutes);

  return (
    <Dialog onClose={onClose} title="New partner" description="A channel that books through the partner API. Give it an API key next.">
      <DialogForm
        onSubmit={() =>
          void action.run({
            code: form.code,
            name: form.name,
            kind: form.kind as Parameters<typeof createPartnerAction>[0]["kind"],
            holdTtlSeconds: ttlSeconds ?? Number.NaN,
          })
        }
      >
        <DialogBody>
          <Field id={`${id}-code`} label="Code" hint="Letters, digits, - or _, e.g. ACME_STORAGE. Shown in logs and audit; it cannot change later." error={errors.code}>
            <Input
              id={`${id}-code`}
              value={form.code}
              onChange={(e) => setForm({ ...form, code: e.target.value.toUpperCase() })}
              className="font-mono uppercase"
              maxLength={32}
              autoComplete="off"
              spellCheck={false}
              required
              data-autofocus
              aria-invalid={errors.code ? true : undefined}
              aria-describedby={describedBy(`${id}-code`, true, errors.code)}
            />
          </Field>
          <Field id={`${id}-name`} label="Name" error={errors.name}>
            <Input
              id={`${id}-name`}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              maxLength={100}
              required
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy(`${id}-name`, false, errors.name)}
            />
          </Field>
          <div className="grid grid-cols-2 gap-4">
            <Field id={`${id}-kind`} label="Kind" error={errors.kind}>
              <Select id={`${id}-kind`} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
                {kinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {partnerKindLabel(kind)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field
              id={`${id}-ttl`}
              label="Hold TTL (minutes)"
              hint={ttlSeconds && ttlSeconds > 0 ? `= ${formatDuration(ttlSeconds)}` : undefined}
              error={errors.ttl}
            >
              <Input
                id={`${id}-ttl`}
                type="number"
                inputMode="decimal"
                min={1}
                max={1440}
                value={form.ttlMinutes}
                onChange={(e) => setForm({ ...form, ttlMinutes: e.target.value })}
                aria-invalid={errors.ttl ? true : undefined}
                aria-describedby={describedBy(`${id}-ttl`, true, errors.ttl)}
              />
            </Field>
          </div>
          <p className="text-xs text-slate-600">{TTL_HINT}</p>
          <ActionFailureAlert failure={action.failure} fields={["code", "name", "kind", "holdTtlSeconds"]} />
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onClick={onClose} disabled={action.pending}>
            Cancel
          </Button>
          <Button type="submit" disabled={action.pending} aria-busy={action.pending}>
            {action.pending ? "Creating…" : "Create partner"}
          </Button>
        </DialogFooter>
      </DialogForm>
    </Dialog>
  );
}

export function EditPartnerDialog({ partner, onClose }: { partner: AdminPartner; onClose: () => void }) {
  const id = useId();
  const invalidate = useInvalidateAdmin();
  const [form, setForm] = useState({ name: partner.name, ttlMinutes: secondsToMinutes(partner.holdTtlSeconds) });
  const action = useConsoleAction(updatePartnerAction, {
    onSuccess: async () => {
      await invalidate("partners");
      onClose();
    },
  });
  const errors = { name: errorAt(action.failure, "name"), ttl: ttlError(errorAt(action.failure, "holdTtlSeconds")) };
  const ttlSeconds = minutesToSeconds(form.ttlMinutes);

  return (
    <Dialog
      onClose={onClose}
      title={
        <>
          Edit <span className="font-mono">{partner.code}</span>
        </>
      }
      description="Changes apply to holds created from now on; existing holds keep their expiry."
    >
      <DialogForm
        onSubmit={() => void action.run({ partnerId: partner.id, name: form.name, holdTtlSeconds: ttlSeconds ?? Number.NaN })}
      >
        <DialogBody>
          <Field id={`${id}-name`} label="Name" error={errors.name}>
            <Input
              id={`${id}-name`}
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
              maxLength={100}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={describedBy(`${id}-name`, false, errors.name)}
            />
          </Field>
          <Field
            id={`${id}-ttl`}
            label="Hold TTL (minutes)"
            hint={ttlSeconds && ttlSeconds > 0 ? `= ${formatDuration(ttlSeconds)}. ${TTL_HINT}` : TTL_HINT}
            error={errors.ttl}
          >
            <Input
              id={`${id}-ttl`}
              type="number"
              inputMode="decimal"
              min={1}
              max={1440}
              value={form.ttlMinutes}
              onChange={(e) => setForm({ ...form, ttlMinutes: e.target.value })}
              className="max-w-40"
              data-autofocus
              aria-invalid={errors.ttl ? true : undefined}
              aria-describedby={describedBy(`${id}-ttl`, true, errors.ttl)}
            />
          </Field>
          <ActionFailureAlert failure={action.failure} fields={["name", "holdTtlSeconds"]} />
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onClick={onClose} disabled={action.pending}>
            Cancel
          </Button>
          <Button type="submit" disabled={action.pending} aria-busy={action.pending}>
            {action.pending ? "Saving…" : "Save changes"}
          </Button>
        </DialogFooter>
      </DialogForm>
    </Dialog>
  );
}

/** Deactivate (every key refused at once) or activate again, after saying what happens. */
export function PartnerActiveDialog({ partner, onClose }: { partner: AdminPartner; onClose: () => void }) {
  const invalidate = useInvalidateAdmin();
  const action = useConsoleAction(updatePartnerAction, {
    onSuccess: async () => {
      await invalidate("partners");
      onClose();
    },
  });
  const deactivating = partner.active;
  const count = partner.activeKeyCount;
  const keys = count === 0 ? null : count === 1 ? "Its 1 active API key stops" : `All ${count} of its active API keys stop`;
  return (
    <ConfirmDialog
      title={
        <>
          {deactivating ? "Deactivate" : "Activate"} <span className="font-mono">{partner.code}</span>?
        </>
      }
      confirmLabel={deactivating ? "Deactivate partner" : "Activate partner"}
      pendingLabel={deactivating ? "Deactivating…" : "Activating…"}
      tone={deactivating ? "danger" : "primary"}
      pending={action.pending}
      onClose={onClose}
      onConfirm={() => void action.run({ partnerId: partner.id, active: !deactivating })}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      {deactivating ? (
        <p>
          {keys ? `${keys} working at once` : `${partner.name} has no active API keys; any it gets are refused`}: every request
          with them is answered 401 until you activate the partner again. Its bookings are not changed.
        </p>
      ) : (
        <p>{count === 0 ? `${partner.name} has no active API keys yet.` : `${partner.name}'s active keys work again from the next request.`} Revoked keys stay revoked.</p>
      )}
    </ConfirmDialog>
  );
}
