"use client";

import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { FormDialog } from "@/components/ui/dialog";
import { Field, Select, TextField } from "@/components/ui/form";
import { retireUnitAction, retypeUnitAction } from "@/server/actions/catalogue";
import { useCatalogueAction, type CatalogueFacility, type CatalogueUnit } from "./catalogue-data";

/** Retire a unit for good; refused while a booking or a maintenance block stands on it. */
export function RetireUnitDialog({ facility, unit, onClose }: { facility: CatalogueFacility; unit: CatalogueUnit; onClose: () => void }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const action = useCatalogueAction(retireUnitAction, () => onClose());
  return (
    <FormDialog
      onClose={onClose}
      title={`Retire ${unit.code}`}
      description="The unit leaves the pool for good (nothing is deleted). Partners see the lower count at once."
      tone="danger"
      onSubmit={() => void action.run({ facility_code: facility.code, unit_code: unit.code, reason })}
      submitLabel="Retire unit"
      pendingLabel="Retiring…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["reason"]} />}
    >
      <TextField id={`${id}-reason`} label="Reason" value={reason} error={errorAt(action.failure, "reason")} onChange={(e) => setReason(e.target.value)} maxLength={500} required data-autofocus />
    </FormDialog>
  );
}

/** Move a unit to another unit type of its facility; refused like a retire. */
export function RetypeUnitDialog({ facility, unit, onClose }: { facility: CatalogueFacility; unit: CatalogueUnit; onClose: () => void }) {
  const id = useId();
  const others = facility.unitTypes.filter((t) => t.code !== unit.unitTypeCode);
  const [type, setType] = useState(others[0]?.code ?? "");
  const action = useCatalogueAction(retypeUnitAction, () => onClose());
  return (
    <FormDialog
      onClose={onClose}
      title={`Change the type of ${unit.code}`}
      description={`Now ${unit.unitTypeCode}. It leaves that pool and joins the other.`}
      onSubmit={() => void action.run({ facility_code: facility.code, unit_code: unit.code, unit_type_code: type })}
      submitLabel="Change type"
      pendingLabel="Saving…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["unit_type_code"]} />}
    >
      {others.length ? (
        <Field id={`${id}-type`} label="New unit type" error={errorAt(action.failure, "unit_type_code")}>
          <Select id={`${id}-type`} value={type} onChange={(e) => setType(e.target.value)} data-autofocus>
            {others.map((t) => (
              <option key={t.code} value={t.code}>
                {t.code} — {t.name}
              </option>
            ))}
          </Select>
        </Field>
      ) : (
        <p className="text-sm text-slate-700">This facility has no other unit type. Add one first.</p>
      )}
    </FormDialog>
  );
}
