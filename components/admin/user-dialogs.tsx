"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, Dialog, DialogBody, DialogFooter, DialogForm } from "@/components/ui/dialog";
import { Checkbox, describedBy, Field, Fieldset, Input, Select } from "@/components/ui/form";
import { createUserAction, updateUserAction } from "@/server/actions/admin";
import { ROLE_LABELS, type Role } from "@/server/auth/permissions";
import { useInvalidateAdmin, type AdminOptions, type AdminUser } from "./admin-data";

export const MIN_PASSWORD_LENGTH = 12;

const ROLE_HINTS: Record<Role, string> = {
  SUPPORT: "Reads bookings, deliveries and audit everywhere; cancels bookings; replays single deliveries.",
  SITE_MANAGER: "Runs their own facilities: bookings, move-ins, maintenance blocks, KPIs.",
  OPS_LEAD: "Everything operational: bulk replays, endpoints, reconciliation and corrections.",
  ADMIN: "Everything, plus users, partners and API keys.",
};

function toggle(list: string[], value: string, on: boolean): string[] {
  return on ? [...list, value] : list.filter((item) => item !== value);
}

function FacilityPicker({
  id,
  options,
  selected,
  onChange,
  error,
}: {
  id: string;
  options: AdminOptions;
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  return (
    <Fieldset legend="Facilities" hint="A site manager sees and acts on these facilities only." error={error}>
      <div className="grid gap-x-4 gap-y-2 sm:grid-cols-3">
        {options.facilities.map((facility) => (
          <Checkbox
            key={facility.id}
            id={`${id}-facility-${facility.code}`}
            checked={selected.includes(facility.id)}
            onChange={(e) => onChange(toggle(selected, facility.id, e.target.checked))}
            label={<span className="font-mono">{facility.code}</span>}
            description={facility.name}
          />
        ))}
      </div>
    </Fieldset>
  );
}

function RoleSelect({
  id,
  roles,
  value,
  onChange,
  disabled,
  error,
}: {
  id: string;
  roles: Role[];
  value: Role;
  onChange: (role: Role) => void;
  disabled?: boolean;
  error?: string;
}) {
  return (
    <Select
      id={id}
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
      disabled={disabled}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(id, true, error)}
    >
      {roles.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </Select>
  );
}

export function CreateUserDialog({
  options,
  onClose,
  onCreated,
}: {
  options: AdminOptions;
  onClose: () => void;
  onCreated: (email: string) => void;
}) {
  const id = useId();
  const invalidate = useInvalidateAdmin();
  const [form, setForm] = useState({ email: "", name: "", role: "SUPPORT" as Role, facilityIds: [] as string[], password: "" });
  const [showPassword, setShowPassword] = useState(false);
  const action = useConsoleAction(createUserAction, {
    onSuccess: async (data) => {
      await invalidate("users");
      onCreated(data.email);
    },
  });
  const errors = {
    email: errorAt(action.failure, "email"),
    name: errorAt(action.failure, "name"),
    role: errorAt(action.failure, "role"),
    facilityIds: errorAt(action.failure, "facilityIds"),
    password: errorAt(action.failure, "password"),
  };
  const siteManager = form.role === "SITE_MANAGER";

  return (
    <Dialog onClose={onClose} title="New console user" description="They sign in with this email and the initial password you set.">
      <DialogForm
        onSubmit={() =>
          void action.run({
            email: form.email.trim(),
            name: form.name,
            role: form.role,
            facilityIds: siteManager ? form.facilityIds : [],
            password: form.password,
          })
        }
      >
        <DialogBody>
          <div className="grid grid-cols-2 gap-4">
            <Field id={`${id}-email`} label="Email" error={errors.email}>
              <Input
                id={`${id}-email`}
                type="email"
                value={form.email}
                onChange={(e) => setForm({ ...form, email: e.target.value })}
                autoComplete="off"
                spellCheck={false}
                data-autofocus
                aria-invalid={errors.email ? true : undefined}
                aria-describedby={describedBy(`${id}-email`, false, errors.email)}
              />
            </Field>
            <Field id={`${id}-name`} label="Name" error={errors.name}>
              <Input
                id={`${id}-name`}
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                maxLength={100}
                autoComplete="off"
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={describedBy(`${id}-name`, false, errors.name)}
              />
            </Field>
          </div>
          <Field id={`${id}-role`} label="Role" hint={ROLE_HINTS[form.role]} error={errors.role}>
            <RoleSelect id={`${id}-role`} roles={options.roles} value={form.role} onChange={(role) => setForm({ ...form, role })} error={errors.role} />
          </Field>
          {siteManager ? (
            <FacilityPicker
              id={id}
              options={options}
              selected={form.facilityIds}
              onChange={(facilityIds) => setForm({ ...form, facilityIds })}
              error={errors.facilityIds}
            />
          ) : null}
          <Field
            id={`${id}-password`}
            label="Initial password"
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. Share it over a separate channel.`}
            error={errors.password}
          >
            <div className="flex gap-2">
              <Input
                id={`${id}-password`}
                type={showPassword ? "text" : "password"}
                value={form.password}
                onChange={(e) => setForm({ ...form, password: e.target.value })}
                autoComplete="new-password"
                minLength={MIN_PASSWORD_LENGTH}
                controlSize="lg"
                className="font-mono"
                aria-invalid={errors.password ? true : undefined}
                aria-describedby={describedBy(`${id}-password`, true, errors.password)}
              />
              <Button variant="secondary" onClick={() => setShowPassword(!showPassword)} aria-pressed={showPassword}>
                {showPassword ? "Hide" : "Show"}
                <span className="sr-only"> password</span>
              </Button>
            </div>
            <p className="mt-1 text-xs text-slate-600" aria-live="polite">
              {form.password.length > 0 && form.password.length < MIN_PASSWORD_LENGTH
                ? `${MIN_PASSWORD_LENGTH - form.password.length} more character${MIN_PASSWORD_LENGTH - form.password.length === 1 ? "" : "s"} needed`
                : null}
            </p>
          </Field>
          <ActionFailureAlert failure={action.failure} fields={["email", "name", "role", "facilityIds", "password"]} />
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onClick={onClose} disabled={action.pending}>
            Cancel
          </Button>
          <Button type="submit" disabled={action.pending} aria-busy={action.pending}>
            {action.pending ? "Creating…" : "Create user"}
          </Button>
        </DialogFooter>
      </DialogForm>
    </Dialog>
  );
}

/** Role and facilities. An admin may not change their own role (the server refuses it too). */
export function EditUserDialog({ user, options, self, onClose }: { user: AdminUser; options: AdminOptions; self: boolean; onClose: () => void }) {
  const id = useId();
  const invalidate = useInvalidateAdmin();
  const [form, setForm] = useState({ role: user.role, facilityIds: user.facilities.map((f) => f.id) });
  const action = useConsoleAction(updateUserAction, {
    onSuccess: async () => {
      await invalidate("users");
      onClose();
    },
  });
  const errors = { role: errorAt(action.failure, "role"), facilityIds: errorAt(action.failure, "facilityIds") };
  const siteManager = form.role === "SITE_MANAGER";

  return (
    <Dialog onClose={onClose} title={`Edit ${user.name}`} description={user.email}>
      <DialogForm
        onSubmit={() => void action.run({ userId: user.id, role: form.role, facilityIds: siteManager ? form.facilityIds : [] })}
      >
        <DialogBody>
          <Field
            id={`${id}-role`}
            label="Role"
            hint={self ? "You cannot change your own role: another admin can." : ROLE_HINTS[form.role]}
            error={errors.role}
          >
            <RoleSelect
              id={`${id}-role`}
              roles={options.roles}
              value={form.role}
              onChange={(role) => setForm({ ...form, role })}
              disabled={self}
              error={errors.role}
            />
          </Field>
          {siteManager ? (
            <FacilityPicker
              id={id}
              options={options}
              selected={form.facilityIds}
              onChange={(facilityIds) => setForm({ ...form, facilityIds })}
              error={errors.facilityIds}
            />
          ) : null}
          <p className="text-xs text-slate-600">The change applies from {self ? "your" : "their"} next request; no need to sign in again.</p>
          <ActionFailureAlert failure={action.failure} fields={["role", "facilityIds"]} />
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

export function UserActiveDialog({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const invalidate = useInvalidateAdmin();
  const action = useConsoleAction(updateUserAction, {
    onSuccess: async () => {
      await invalidate("users");
      onClose();
    },
  });
  const disabling = user.active;
  return (
    <ConfirmDialog
      title={`${disabling ? "Disable" : "Enable"} ${user.name}?`}
      confirmLabel={disabling ? "Disable user" : "Enable user"}
      pendingLabel={disabling ? "Disabling…" : "Enabling…"}
      tone={disabling ? "danger" : "primary"}
      pending={action.pending}
      onClose={onClose}
      onConfirm={() => void action.run({ userId: user.id, active: !disabling })}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      {disabling ? (
        <p>
          <span className="font-medium">{user.email}</span> loses access at once: their next request is refused and they cannot sign in.
          Their audit history stays. You can enable them again later.
        </p>
      ) : (
        <p>
          <span className="font-medium">{user.email}</span> can sign in again with their existing password, as{" "}
          {ROLE_LABELS[user.role]}.
        </p>
      )}
    </ConfirmDialog>
  );
}
