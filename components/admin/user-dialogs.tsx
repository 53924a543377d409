"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { Button } from "@/components/ui/button";
import { FormDialog } from "@/components/ui/dialog";
import { describedBy, Field, Input, Select, TextField } from "@/components/ui/form";
import { createUserAction, updateUserAction } from "@/server/actions/admin";
import { ROLE_LABELS, type Role } from "@/shared/permissions";
import { AdminConfirmDialog } from "./admin-confirm-dialog";
import { useAdminAction, type AdminOptions, type AdminUser } from "./admin-data";
import { FacilityPicker } from "./facility-picker";

const MIN_PASSWORD_LENGTH = 12;

const ROLE_HINTS: Record<Role, string> = {
  SUPPORT: "Reads bookings, deliveries and audit everywhere; cancels bookings; replays single deliveries.",
  SITE_MANAGER: "Runs their own facilities: bookings, move-ins, maintenance blocks, KPIs.",
  OPS_LEAD: "Everything operational: bulk replays, endpoints, reconciliation and corrections.",
  ADMIN: "Everything, plus users, partners and API keys.",
};

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

interface RoleAndFacilitiesValue {
  role: Role;
  facilityIds: string[];
}

/** The role and, for a site manager, their facilities. `self`: the admin's own account, whose role they cannot change. */
function RoleAndFacilities<T extends RoleAndFacilitiesValue>({
  id,
  options,
  value,
  onChange,
  errors,
  self = false,
}: {
  id: string;
  options: AdminOptions;
  value: T;
  onChange: (value: T) => void;
  errors: { role?: string; facilityIds?: string };
  self?: boolean;
}) {
  return (
    <>
      <Field
        id={`${id}-role`}
        label="Role"
        hint={self ? "You cannot change your own role: another admin can." : ROLE_HINTS[value.role]}
        error={errors.role}
      >
        <RoleSelect
          id={`${id}-role`}
          roles={options.roles}
          value={value.role}
          onChange={(role) => onChange({ ...value, role })}
          disabled={self}
          error={errors.role}
        />
      </Field>
      {value.role === "SITE_MANAGER" ? (
        <FacilityPicker
          id={id}
          facilities={options.facilities}
          hint="A site manager sees and acts on these facilities only."
          selected={value.facilityIds}
          onChange={(facilityIds) => onChange({ ...value, facilityIds })}
          error={errors.facilityIds}
        />
      ) : null}
    </>
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
  const [form, setForm] = useState({ email: "", name: "", role: "SUPPORT" as Role, facilityIds: [] as string[], password: "" });
  const [showPassword, setShowPassword] = useState(false);
  const action = useAdminAction(createUserAction, "users", (data) => onCreated(data.email));
  const errors = {
    email: errorAt(action.failure, "email"),
    name: errorAt(action.failure, "name"),
    role: errorAt(action.failure, "role"),
    facilityIds: errorAt(action.failure, "facilityIds"),
    password: errorAt(action.failure, "password"),
  };
  const siteManager = form.role === "SITE_MANAGER";

  return (
    <FormDialog
      onClose={onClose}
      title="New console user"
      description="They sign in with this email and the initial password you set."
      onSubmit={() =>
        void action.run({
          email: form.email.trim(),
          name: form.name,
          role: form.role,
          facilityIds: siteManager ? form.facilityIds : [],
          password: form.password,
        })
      }
      submitLabel="Create user"
      pendingLabel="Creating…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["email", "name", "role", "facilityIds", "password"]} />}
    >
      <div className="grid grid-cols-2 gap-4">
        <TextField
          id={`${id}-email`}
          label="Email"
          error={errors.email}
          type="email"
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.target.value })}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
        />
        <TextField
          id={`${id}-name`}
          label="Name"
          error={errors.name}
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          maxLength={100}
          autoComplete="off"
        />
      </div>
      <RoleAndFacilities id={id} options={options} value={form} onChange={setForm} errors={errors} />
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
    </FormDialog>
  );
}

/** Role and facilities. An admin may not change their own role (the server refuses it too). */
export function EditUserDialog({ user, options, self, onClose }: { user: AdminUser; options: AdminOptions; self: boolean; onClose: () => void }) {
  const id = useId();
  const [form, setForm] = useState({ role: user.role, facilityIds: user.facilities.map((f) => f.id) });
  const action = useAdminAction(updateUserAction, "users", onClose);
  const errors = { role: errorAt(action.failure, "role"), facilityIds: errorAt(action.failure, "facilityIds") };
  const siteManager = form.role === "SITE_MANAGER";

  return (
    <FormDialog
      onClose={onClose}
      title={`Edit ${user.name}`}
      description={user.email}
      onSubmit={() => void action.run({ userId: user.id, role: form.role, facilityIds: siteManager ? form.facilityIds : [] })}
      submitLabel="Save changes"
      pendingLabel="Saving…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["role", "facilityIds"]} />}
    >
      <RoleAndFacilities id={id} options={options} value={form} onChange={setForm} errors={errors} self={self} />
      <p className="text-xs text-slate-600">The change applies from {self ? "your" : "their"} next request; no need to sign in again.</p>
    </FormDialog>
  );
}

export function UserActiveDialog({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const disabling = user.active;
  return (
    <AdminConfirmDialog
      action={updateUserAction}
      input={{ userId: user.id, active: !disabling }}
      refetch="users"
      onClose={onClose}
      title={`${disabling ? "Disable" : "Enable"} ${user.name}?`}
      confirmLabel={disabling ? "Disable user" : "Enable user"}
      pendingLabel={disabling ? "Disabling…" : "Enabling…"}
      tone={disabling ? "danger" : "primary"}
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
    </AdminConfirmDialog>
  );
}
