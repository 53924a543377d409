import type { ReactNode } from "react";
import { CheckboxGroup } from "@/components/ui/form";
import type { AdminOptions } from "./admin-data";

/** Facilities to tick, by code and name; the boxes' ids are `${id}-facility-${code}`. */
export function FacilityPicker({
  id,
  facilities,
  selected,
  onChange,
  hint,
  optional,
  error,
}: {
  id: string;
  facilities: AdminOptions["facilities"];
  selected: string[];
  onChange: (ids: string[]) => void;
  hint: ReactNode;
  optional?: boolean;
  error?: string;
}) {
  return (
    <CheckboxGroup
      legend="Facilities"
      optional={optional}
      hint={hint}
      error={error}
      gridClassName="grid gap-x-4 gap-y-2 sm:grid-cols-3"
      options={facilities.map((facility) => ({
        value: facility.id,
        id: `${id}-facility-${facility.code}`,
        label: <span className="font-mono">{facility.code}</span>,
        description: facility.name,
      }))}
      selected={selected}
      onChange={onChange}
    />
  );
}
