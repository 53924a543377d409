"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { failureSummary, useConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import { Field, Select } from "@/components/ui/form";
import { setIncidentEmailPreferenceAction } from "@/server/actions/incidents";
import { SEVERITIES } from "@/shared/alert-rules";

/** The signed-in user's own opt-in to incident e-mail, from a severity up. */
export function EmailPreference() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery(trpc.incidents.myEmailPreference.queryOptions());
  const action = useConsoleAction(setIncidentEmailPreferenceAction, {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.incidents.myEmailPreference.queryKey() }),
  });
  return (
    <Field id="incident-email" label="E-mail me" hint={action.failure ? failureSummary(action.failure) : "Incidents from this severity up"}>
      <Select
        id="incident-email"
        disabled={query.isPending || action.pending}
        value={query.data?.minSeverity ?? "NONE"}
        onChange={(e) => void action.run({ minSeverity: e.target.value as (typeof SEVERITIES)[number] | "NONE" })}
      >
        <option value="NONE">Never</option>
        {SEVERITIES.map((s) => (
          <option key={s} value={s}>
            {s} and above
          </option>
        ))}
      </Select>
    </Field>
  );
}
