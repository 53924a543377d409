"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { FormDialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/form";
import { createFacilityAction, updateFacilityAction } from "@/server/actions/catalogue";
import { useCatalogueAction, type CatalogueFacility } from "./catalogue-data";

const FIELDS = ["code", "name", "timezone", "address_line1", "city", "postal_code", "country", "currency", "access_hours"] as const;
type Form = Record<(typeof FIELDS)[number], string>;

function initial(facility: CatalogueFacility | null): Form {
  return facility
    ? {
        code: facility.code,
        name: facility.name,
        timezone: facility.timezone,
        address_line1: facility.address.line1,
        city: facility.address.city,
        postal_code: facility.address.postalCode,
        country: facility.address.country,
        currency: facility.currency,
        access_hours: facility.accessHours,
      }
    : { code: "", name: "", timezone: "Europe/London", address_line1: "", city: "", postal_code: "", country: "GB", currency: "GBP", access_hours: "" };
}

/** New facility, or edit one (a new code keeps the old one findable: docs/domain.md#catalogue). */
export function FacilityDialog({ facility, onClose, onSaved }: { facility: CatalogueFacility | null; onClose: () => void; onSaved: (code: string) => void }) {
  const id = useId();
  const [form, setForm] = useState<Form>(() => initial(facility));
  const create = useCatalogueAction(createFacilityAction, (data) => onSaved(data.code));
  const update = useCatalogueAction(updateFacilityAction, (data) => onSaved(data.code));
  const action = facility ? update : create;
  const field = (name: (typeof FIELDS)[number], label: string, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
    <TextField
      id={`${id}-${name}`}
      label={label}
      value={form[name]}
      error={errorAt(action.failure, name)}
      onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      autoComplete="off"
      required
      {...extra}
    />
  );
  return (
    <FormDialog
      onClose={onClose}
      title={facility ? `Edit ${facility.code}` : "New facility"}
      description={
        facility
          ? "A new code keeps the old one: partners and lookups still find the facility by it."
          : "A site. Add its unit types and units next; partners see it once it has units."
      }
      onSubmit={() => {
        if (facility) void update.run({ facility_code: facility.code, ...form });
        else void create.run(form);
      }}
      submitLabel={facility ? "Save facility" : "Create facility"}
      pendingLabel="Saving…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={FIELDS} />}
    >
      <div className="grid grid-cols-2 gap-4">
        {field("code", "Code", {
          hint: "Letters, digits, - and _ (e.g. LDN-01).",
          className: "font-mono uppercase",
          maxLength: 32,
          spellCheck: false,
          onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, code: e.target.value.toUpperCase() }),
          "data-autofocus": true,
        } as never)}
        {field("name", "Name", { maxLength: 120 })}
      </div>
      {field("address_line1", "Address", { maxLength: 200 })}
      <div className="grid grid-cols-3 gap-4">
        {field("city", "City", { maxLength: 100 })}
        {field("postal_code", "Postal code", { maxLength: 20 })}
        {field("country", "Country", { hint: "ISO code, e.g. GB", maxLength: 2, className: "uppercase" })}
      </div>
      <div className="grid grid-cols-2 gap-4">
        {field("timezone", "Time zone", { hint: "IANA name, e.g. Europe/London", maxLength: 64 })}
        {field("currency", "Currency", { hint: "ISO code, e.g. GBP. Fixed once it has bookings.", maxLength: 3, className: "uppercase" })}
      </div>
      {field("access_hours", "Access hours", { hint: "As customers see it, e.g. Daily 06:00–22:00", maxLength: 200 })}
    </FormDialog>
  );
}
