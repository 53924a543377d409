"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { FormDialog } from "@/components/ui/dialog";
import { Checkbox, TextField } from "@/components/ui/form";
import { changeUnitTypeRateAction, createUnitTypeAction } from "@/server/actions/catalogue";
import { formatRate, toCents, useCatalogueAction, type CatalogueFacility, type CatalogueUnitType } from "./catalogue-data";

function features(text: string): string[] {
  return text
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
}

/** A new unit type at the facility, with its inventory pool. */
export function CreateUnitTypeDialog({ facility, onClose, onSaved }: { facility: CatalogueFacility; onClose: () => void; onSaved: (code: string) => void }) {
  const id = useId();
  const [form, setForm] = useState({ code: "", name: "", width: "", depth: "", climate: false, features: "", rate: "" });
  const action = useCatalogueAction(createUnitTypeAction, (data) => onSaved(data.code));
  const err = (path: string) => errorAt(action.failure, path);
  return (
    <FormDialog
      onClose={onClose}
      title={`New unit type at ${facility.code}`}
      description="A size of unit with its monthly rate. Its pool starts empty; add units next."
      onSubmit={() =>
        void action.run({
          facility_code: facility.code,
          code: form.code,
          name: form.name,
          width_ft: Number(form.width),
          depth_ft: Number(form.depth),
          climate_controlled: form.climate,
          features: features(form.features),
          monthly_rate_cents: toCents(form.rate),
        })
      }
      submitLabel="Create unit type"
      pendingLabel="Creating…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["code", "name", "width_ft", "depth_ft", "features", "monthly_rate_cents"]} />}
    >
      <div className="grid grid-cols-2 gap-4">
        <TextField
          id={`${id}-code`}
          label="Code"
          hint="e.g. 5X10"
          value={form.code}
          error={err("code")}
          onChange={(e) => setForm({ ...form, code: e.target.value.toUpperCase() })}
          className="font-mono uppercase"
          maxLength={32}
          required
          data-autofocus
        />
        <TextField id={`${id}-name`} label="Name" value={form.name} error={err("name")} onChange={(e) => setForm({ ...form, name: e.target.value })} maxLength={120} required />
      </div>
      <div className="grid grid-cols-3 gap-4">
        <TextField id={`${id}-width`} label="Width (ft)" inputMode="decimal" value={form.width} error={err("width_ft")} onChange={(e) => setForm({ ...form, width: e.target.value })} required />
        <TextField id={`${id}-depth`} label="Depth (ft)" inputMode="decimal" value={form.depth} error={err("depth_ft")} onChange={(e) => setForm({ ...form, depth: e.target.value })} required />
        <TextField
          id={`${id}-rate`}
          label={`Monthly rate (${facility.currency})`}
          inputMode="decimal"
          hint="e.g. 79.00"
          value={form.rate}
          error={err("monthly_rate_cents")}
          onChange={(e) => setForm({ ...form, rate: e.target.value })}
          required
        />
      </div>
      <TextField
        id={`${id}-features`}
        label="Features"
        hint="Comma-separated, e.g. drive-up, ground floor"
        value={form.features}
        error={err("features")}
        onChange={(e) => setForm({ ...form, features: e.target.value })}
      />
      <Checkbox id={`${id}-climate`} label="Climate controlled" checked={form.climate} onChange={(e) => setForm({ ...form, climate: e.target.checked })} />
    </FormDialog>
  );
}

/** A new monthly rate from a date on: holds from that date take it, bookings keep theirs. */
export function RateDialog({ facility, unitType, onClose }: { facility: CatalogueFacility; unitType: CatalogueUnitType; onClose: () => void }) {
  const id = useId();
  const [form, setForm] = useState({ rate: "", from: facility.today });
  const action = useCatalogueAction(changeUnitTypeRateAction, () => onClose());
  return (
    <FormDialog
      onClose={onClose}
      title={`Rate of ${unitType.code}`}
      description={`Now ${formatRate(unitType.monthlyRateCents, facility.currency)} a month. Bookings already made keep the rate they were made at.`}
      onSubmit={() =>
        void action.run({ facility_code: facility.code, unit_type_code: unitType.code, monthly_rate_cents: toCents(form.rate), effective_from: form.from })
      }
      submitLabel="Set rate"
      pendingLabel="Saving…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["monthly_rate_cents", "effective_from"]} />}
    >
      <div className="grid grid-cols-2 gap-4">
        <TextField
          id={`${id}-rate`}
          label={`Monthly rate (${facility.currency})`}
          inputMode="decimal"
          value={form.rate}
          error={errorAt(action.failure, "monthly_rate_cents")}
          onChange={(e) => setForm({ ...form, rate: e.target.value })}
          required
          data-autofocus
        />
        <TextField
          id={`${id}-from`}
          label="Effective from"
          type="date"
          min={facility.today}
          hint={`Today at ${facility.code} is ${facility.today}.`}
          value={form.from}
          error={errorAt(action.failure, "effective_from")}
          onChange={(e) => setForm({ ...form, from: e.target.value })}
          required
        />
      </div>
    </FormDialog>
  );
}
