"use client";

import { useEffect, useId, useRef, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogBody, DialogFooter, FormDialogContent } from "@/components/ui/dialog";
import { CheckboxGroup, Field, Input, TextField } from "@/components/ui/form";
import { createApiKeyAction } from "@/server/actions/admin";
import { scopeDescription } from "@/shared/permissions";
import { useInvalidateAdmin, type AdminOptions, type AdminPartner } from "./admin-data";
import { FacilityPicker } from "./facility-picker";
import { optionalInteger } from "./format";

type CreateKeyInput = Parameters<typeof createApiKeyAction>[0];

const RATE_LIMITS = [
  { key: "read", label: "Reads per minute" },
  { key: "write", label: "Writes per minute" },
] as const;

interface CreatedKey {
  name: string;
  prefix: string;
  secret: string;
}

/**
 * Creates a key for one partner, then shows its secret — once. The secret lives only in
 * this dialog's state: never in the query cache, the URL or a log; closing forgets it.
 */
export function CreateKeyDialog({ partner, options, onClose }: { partner: AdminPartner; options: AdminOptions; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  return (
    <Dialog
      size="lg"
      onClose={onClose}
      title={
        created ? (
          "Copy the new key now"
        ) : (
          <>
            Create an API key for <span className="font-mono">{partner.code}</span>
          </>
        )
      }
      description={created ? undefined : "Give the key only the scopes and facilities the partner's integration needs."}
      data-testid="create-key-dialog"
    >
      {created ? (
        <SecretReveal partnerCode={partner.code} created={created} onDone={onClose} />
      ) : (
        <CreateKeyForm partner={partner} options={options} onCancel={onClose} onCreated={setCreated} />
      )}
    </Dialog>
  );
}

function CreateKeyForm({
  partner,
  options,
  onCancel,
  onCreated,
}: {
  partner: AdminPartner;
  options: AdminOptions;
  onCancel: () => void;
  onCreated: (key: CreatedKey) => void;
}) {
  const id = useId();
  const invalidate = useInvalidateAdmin();
  const [form, setForm] = useState({ name: "", scopes: [] as string[], facilityIds: [] as string[], read: "", write: "" });
  const action = useConsoleAction(createApiKeyAction, {
    onSuccess: async (data, input) => {
      onCreated({ name: input.name, prefix: data.prefix, secret: data.secret });
      await invalidate("partners");
    },
  });
  const errors = {
    name: errorAt(action.failure, "name"),
    scopes: errorAt(action.failure, "scopes"),
    facilityIds: errorAt(action.failure, "facilityIds"),
    read: errorAt(action.failure, "readRateLimitPerMinute") && "A whole number from 1 to 100,000, or empty for the default.",
    write: errorAt(action.failure, "writeRateLimitPerMinute") && "A whole number from 1 to 100,000, or empty for the default.",
  };

  return (
    <FormDialogContent
      onSubmit={() =>
        void action.run({
          partnerId: partner.id,
          name: form.name,
          scopes: form.scopes as CreateKeyInput["scopes"],
          facilityIds: form.facilityIds,
          readRateLimitPerMinute: optionalInteger(form.read),
          writeRateLimitPerMinute: optionalInteger(form.write),
        })
      }
      onCancel={onCancel}
      submitLabel="Create key"
      pendingLabel="Creating…"
      pending={action.pending}
      error={
        <ActionFailureAlert
          failure={action.failure}
          fields={["name", "scopes", "facilityIds", "readRateLimitPerMinute", "writeRateLimitPerMinute"]}
        />
      }
    >
      <TextField
        id={`${id}-name`}
        label="Name"
        hint="What the key is for, e.g. “production” or “staging”."
        error={errors.name}
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
        maxLength={100}
        autoComplete="off"
        data-autofocus
      />

      <CheckboxGroup
        legend="Scopes"
        hint="What the key may do; a call outside them is refused with 403."
        error={errors.scopes}
        gridClassName="grid gap-2.5 sm:grid-cols-2"
        name="scopes"
        options={options.apiScopes.map((scope) => ({
          value: scope,
          id: `${id}-scope-${scope}`,
          label: <span className="font-mono">{scope}</span>,
          description: scopeDescription(scope),
        }))}
        selected={form.scopes}
        onChange={(scopes) => setForm({ ...form, scopes })}
      />

      <FacilityPicker
        id={id}
        facilities={options.facilities}
        optional
        hint="Leave all unticked for every facility, including ones added later."
        selected={form.facilityIds}
        onChange={(facilityIds) => setForm({ ...form, facilityIds })}
        error={errors.facilityIds}
      />

      <fieldset>
        <legend className="text-sm font-medium text-slate-800">
          Rate limits <span className="font-normal text-slate-500">(optional, requests per minute)</span>
        </legend>
        <p className="mt-0.5 text-xs text-slate-600">Empty uses the deployment&apos;s default for the endpoint class.</p>
        <div className="mt-2 grid grid-cols-2 gap-4">
          {RATE_LIMITS.map(({ key, label }) => (
            <TextField
              key={key}
              id={`${id}-${key}`}
              label={label}
              error={errors[key]}
              type="number"
              inputMode="numeric"
              min={1}
              max={100_000}
              placeholder="Default"
              value={form[key]}
              onChange={(e) => setForm({ ...form, [key]: e.target.value })}
            />
          ))}
        </div>
      </fieldset>
    </FormDialogContent>
  );
}

function SecretReveal({ partnerCode, created, onDone }: { partnerCode: string; created: CreatedKey; onDone: () => void }) {
  const id = useId();
  const secretRef = useRef<HTMLInputElement>(null);
  // The form that had the focus is gone: put it on the key, selected, ready to copy.
  useEffect(() => secretRef.current?.focus(), []);
  return (
    <>
      <DialogBody>
        <div role="alert" className="flex gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
          <svg viewBox="0 0 20 20" aria-hidden="true" className="mt-0.5 h-5 w-5 shrink-0 text-amber-700" fill="currentColor">
            <path
              fillRule="evenodd"
              d="M8.5 2.6a1.7 1.7 0 0 1 3 0l6.3 11.7A1.7 1.7 0 0 1 16.3 17H3.7a1.7 1.7 0 0 1-1.5-2.7L8.5 2.6ZM10 7a1 1 0 0 0-1 1v3a1 1 0 1 0 2 0V8a1 1 0 0 0-1-1Zm0 8a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
              clipRule="evenodd"
            />
          </svg>
          <div>
            <p className="font-semibold">This is the only time the key is shown.</p>
            <p className="mt-0.5">
              Copy it now and keep it in a secrets manager. Holdfast stores only a hash, so nobody can show it again; if it is lost,
              create a new key and revoke this one.
            </p>
          </div>
        </div>
        <Field
          id={`${id}-secret`}
          label={
            <>
              API key “{created.name}” for <span className="font-mono">{partnerCode}</span>
            </>
          }
          hint={
            <>
              Send it on every request as <code className="font-mono">Authorization: Bearer &lt;key&gt;</code>.
            </>
          }
        >
          <div className="flex gap-2">
            <Input
              id={`${id}-secret`}
              readOnly
              value={created.secret}
              onFocus={(e) => e.currentTarget.select()}
              controlSize="lg"
              className="font-mono"
              spellCheck={false}
              autoComplete="off"
              data-testid="api-key-secret"
              ref={secretRef}
              aria-describedby={`${id}-secret-hint`}
            />
            <CopyButton value={created.secret} label="Copy key" size="md" />
          </div>
        </Field>
      </DialogBody>
      <DialogFooter>
        <Button onClick={onDone}>I have copied the key</Button>
      </DialogFooter>
    </>
  );
}
