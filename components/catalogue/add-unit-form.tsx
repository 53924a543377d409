"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { Button } from "@/components/ui/button";
import { Field, Select, TextField } from "@/components/ui/form";
import { addUnitAction } from "@/server/actions/catalogue";
import { useCatalogueAction, type CatalogueFacility } from "./catalogue-data";

/** Adds units one after another: Enter submits, the code field keeps the focus for the next. */
export function AddUnitForm({ facility }: { facility: CatalogueFacility }) {
  const id = useId();
  const [form, setForm] = useState({ code: "", floor: "0", type: facility.unitTypes[0]?.code ?? "" });
  const [added, setAdded] = useState<string | null>(null);
  const action = useCatalogueAction(addUnitAction, (data) => {
    setAdded(data.code);
    setForm((f) => ({ ...f, code: "" }));
    document.getElementById(`${id}-code`)?.focus();
  });
  if (!facility.unitTypes.length) return <p className="px-4 py-3 text-sm text-slate-700">Add a unit type before adding units.</p>;
  return (
    <form
      aria-label="Add a unit"
      className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-4 py-3"
      onSubmit={(e) => {
        e.preventDefault();
        setAdded(null);
        void action.run({ facility_code: facility.code, unit_type_code: form.type, code: form.code, floor: Number(form.floor) });
      }}
    >
      {/* said in words: the units' filters below have a unit code field too */}
      <p className="basis-full text-xs font-semibold tracking-wide text-slate-600 uppercase" aria-hidden="true">
        Add a unit
      </p>
      <TextField
        id={`${id}-code`}
        label="Unit code"
        value={form.code}
        error={errorAt(action.failure, "code")}
        onChange={(e) => setForm({ ...form, code: e.target.value.toUpperCase() })}
        className="w-32 font-mono uppercase"
        maxLength={32}
        required
      />
      <TextField
        id={`${id}-floor`}
        label="Floor"
        type="number"
        value={form.floor}
        error={errorAt(action.failure, "floor")}
        onChange={(e) => setForm({ ...form, floor: e.target.value })}
        className="w-20"
      />
      <Field id={`${id}-type`} label="Unit type" error={errorAt(action.failure, "unit_type_code")}>
        <Select id={`${id}-type`} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
          {facility.unitTypes.map((t) => (
            <option key={t.code} value={t.code}>
              {t.code}
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" disabled={action.pending}>
        {action.pending ? "Adding…" : "Add unit"}
      </Button>
      <div className="basis-full" aria-live="polite">
        <ActionFailureAlert failure={action.failure} fields={["code", "floor", "unit_type_code"]} />
        {added && !action.failure ? <p className="text-sm text-emerald-800">Unit {added} added.</p> : null}
      </div>
    </form>
  );
}
