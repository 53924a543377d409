"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { FormDialog } from "@/components/ui/dialog";
import { Field, Select, TextField, type TextFieldProps } from "@/components/ui/form";
import { createPartnerAction, updatePartnerAction } from "@/server/actions/admin";
import { AdminConfirmDialog } from "./admin-confirm-dialog";
import { useAdminAction, type AdminPartner } from "./admin-data";
import { formatDuration, minutesToSeconds, partnerKindLabel, secondsToMinutes } from "./format";

const TTL_HINT = "How long a hold lasts before it expires, unless the request sets its own: 1 minute to 24 hours.";
const TTL_ERROR = "Enter a number of minutes between 1 and 1,440 (24 hours).";

function ttlError(message: string | undefined): string | undefined {
  return message ? TTL_ERROR : undefined;
}

function NameField(props: Omit<TextFieldProps, "label" | "maxLength">) {
  return <TextField label="Name" maxLength={100} {...props} />;
}

const CONTACT_HINT = "E-mailed when the partner's webhook endpoint starts failing or is disabled, with what to do. Optional.";

function ContactField(props: Omit<TextFieldProps, "label" | "type" | "maxLength">) {
  return <TextField label="Technical contact e-mail" type="email" maxLength={254} autoComplete="off" hint={CONTACT_HINT} {...props} />;
}

/** The hold TTL in minutes, 1 to 1,440. */
function TtlField(props: Omit<TextFieldProps, "label" | "type" | "inputMode" | "min" | "max">) {
  return <TextField label="Hold TTL (minutes)" type="number" inputMode="decimal" min={1} max={1440} {...props} />;
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
  const [form, setForm] = useState({ code: "", name: "", kind: kinds[0] ?? "OTHER", ttlMinutes: "15", contact: "" });
  const action = useAdminAction(createPartnerAction, "partners", (data) => onCreated(data.code));
  const errors = {
    code: errorAt(action.failure, "code"),
    name: errorAt(action.failure, "name"),
    kind: errorAt(action.failure, "kind"),
    ttl: ttlError(errorAt(action.failure, "holdTtlSeconds")),
    contact: errorAt(action.failure, "technicalContactEmail"),
  };
  const ttlSeconds = minutesToSeconds(form.ttlMinutes);

  return (
    <FormDialog
      onClose={onClose}
      title="New partner"
      description="A channel that books through the partner API. Give it an API key next."
      onSubmit={() =>
        void action.run({
          code: form.code,
          name: form.name,
          kind: form.kind as Parameters<typeof createPartnerAction>[0]["kind"],
          holdTtlSeconds: ttlSeconds ?? Number.NaN,
          technicalContactEmail: form.contact,
        })
      }
      submitLabel="Create partner"
      pendingLabel="Creating…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["code", "name", "kind", "holdTtlSeconds", "technicalContactEmail"]} />}
    >
      <TextField
        id={`${id}-code`}
        label="Code"
        hint="Letters, digits, - or _, e.g. ACME_STORAGE. Shown in logs and audit; it cannot change later."
        error={errors.code}
        value={form.code}
        onChange={(e) => setForm({ ...form, code: e.target.value.toUpperCase() })}
        className="font-mono uppercase"
        maxLength={32}
        autoComplete="off"
        spellCheck={false}
        required
        data-autofocus
      />
      <NameField id={`${id}-name`} error={errors.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
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
        <TtlField
          id={`${id}-ttl`}
          hint={ttlSeconds && ttlSeconds > 0 ? `= ${formatDuration(ttlSeconds)}` : undefined}
          error={errors.ttl}
          value={form.ttlMinutes}
          onChange={(e) => setForm({ ...form, ttlMinutes: e.target.value })}
        />
      </div>
      <p className="text-xs text-slate-600">{TTL_HINT}</p>
      <ContactField id={`${id}-contact`} error={errors.contact} value={form.contact} onChange={(e) => setForm({ ...form, contact: e.target.value })} />
    </FormDialog>
  );
}

export function EditPartnerDialog({ partner, onClose }: { partner: AdminPartner; onClose: () => void }) {
  const id = useId();
  const [form, setForm] = useState({
    name: partner.name,
    ttlMinutes: secondsToMinutes(partner.holdTtlSeconds),
    contact: partner.technicalContactEmail ?? "",
  });
  const action = useAdminAction(updatePartnerAction, "partners", onClose);
  const errors = {
    name: errorAt(action.failure, "name"),
    ttl: ttlError(errorAt(action.failure, "holdTtlSeconds")),
    contact: errorAt(action.failure, "technicalContactEmail"),
  };
  const ttlSeconds = minutesToSeconds(form.ttlMinutes);

  return (
    <FormDialog
      onClose={onClose}
      title={
        <>
          Edit <span className="font-mono">{partner.code}</span>
        </>
      }
      description="Changes apply to holds created from now on; existing holds keep their expiry."
      onSubmit={() =>
        void action.run({ partnerId: partner.id, name: form.name, holdTtlSeconds: ttlSeconds ?? Number.NaN, technicalContactEmail: form.contact })
      }
      submitLabel="Save changes"
      pendingLabel="Saving…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["name", "holdTtlSeconds", "technicalContactEmail"]} />}
    >
      <NameField id={`${id}-name`} error={errors.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      <TtlField
        id={`${id}-ttl`}
        hint={ttlSeconds && ttlSeconds > 0 ? `= ${formatDuration(ttlSeconds)}. ${TTL_HINT}` : TTL_HINT}
        error={errors.ttl}
        value={form.ttlMinutes}
        onChange={(e) => setForm({ ...form, ttlMinutes: e.target.value })}
        className="max-w-40"
        data-autofocus
      />
      <ContactField id={`${id}-contact`} error={errors.contact} value={form.contact} onChange={(e) => setForm({ ...form, contact: e.target.value })} />
    </FormDialog>
  );
}

/** Deactivate (every key refused at once) or activate again, after saying what happens. */
export function PartnerActiveDialog({ partner, onClose }: { partner: AdminPartner; onClose: () => void }) {
  const deactivating = partner.active;
  const count = partner.activeKeyCount;
  const keys = count === 0 ? null : count === 1 ? "Its 1 active API key stops" : `All ${count} of its active API keys stop`;
  return (
    <AdminConfirmDialog
      action={updatePartnerAction}
      input={{ partnerId: partner.id, active: !deactivating }}
      refetch="partners"
      onClose={onClose}
      title={
        <>
          {deactivating ? "Deactivate" : "Activate"} <span className="font-mono">{partner.code}</span>?
        </>
      }
      confirmLabel={deactivating ? "Deactivate partner" : "Activate partner"}
      pendingLabel={deactivating ? "Deactivating…" : "Activating…"}
      tone={deactivating ? "danger" : "primary"}
    >
      {deactivating ? (
        <p>
          {keys ? `${keys} working at once` : `${partner.name} has no active API keys; any it gets are refused`}: every request
          with them is answered 401 until you activate the partner again. Its bookings are not changed.
        </p>
      ) : (
        <p>{count === 0 ? `${partner.name} has no active API keys yet.` : `${partner.name}'s active keys work again from the next request.`} Revoked keys stay revoked.</p>
      )}
    </AdminConfirmDialog>
  );
}
