"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { formatUtc } from "@/components/ui/time-format";
import { useUrlState } from "@/components/ui/use-url-state";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { ALERT_RULE_NAMES, SEVERITIES, type Severity } from "@/shared/alert-rules";
import { EmailPreference } from "./email-preference";
import { ruleTitle, SEVERITY_TONE, STATUS_LABEL, STATUS_TONE } from "./incident-format";

const STATUSES = ["open", "TRIGGERED", "ACKNOWLEDGED", "RESOLVED", "all"] as const;
type StatusFilter = (typeof STATUSES)[number];
const STATUS_FILTER_LABEL: Record<StatusFilter, string> = { open: "Open", TRIGGERED: "Triggered", ACKNOWLEDGED: "Acknowledged", RESOLVED: "Resolved", all: "All" };

function pick<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** /incidents: filters in the URL, the most severe open incidents first. */
export function IncidentList() {
  const { params, update } = useUrlState();
  const status = pick(params.status, STATUSES) ?? "open";
  const severity = pick(params.severity, SEVERITIES);
  const rule = pick(params.rule, ALERT_RULE_NAMES);
  const trpc = useTRPC();
  const query = useQuery(trpc.incidents.list.queryOptions({ status, severity, rule }, { refetchInterval: 15_000 }));

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <Field id="incident-status" label="Status">
          <Select id="incident-status" value={status} onChange={(e) => update({ status: e.target.value === "open" ? null : e.target.value })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_FILTER_LABEL[s]}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="incident-severity" label="Severity">
          <Select id="incident-severity" value={severity ?? ""} onChange={(e) => update({ severity: e.target.value })}>
            <option value="">Any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="incident-rule" label="Rule">
          <Select id="incident-rule" value={rule ?? ""} onChange={(e) => update({ rule: e.target.value })}>
            <option value="">Any</option>
            {ALERT_RULE_NAMES.map((r) => (
              <option key={r} value={r}>
                {ruleTitle(r)}
              </option>
            ))}
          </Select>
        </Field>
        <div className="ml-auto">
          <EmailPreference />
        </div>
      </div>
      {query.isPending ? (
        <Card className="space-y-2 p-4" aria-busy="true" aria-label="Loading incidents">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} className="h-8 w-full" />
          ))}
        </Card>
      ) : query.isError && !query.data ? (
        <QueryErrorState title="Incidents could not be loaded" query={query} />
      ) : query.data!.incidents.length === 0 ? (
        <EmptyState
          title={status === "open" && !severity && !rule ? "No open incidents" : "No incidents match these filters"}
          description="The worker evaluates every alert rule once a minute; an incident opens here when a condition needs someone."
        />
      ) : (
        <Card>
          <Table caption="Incidents">
            <TableHeader columns={["Severity", "Status", "Incident", "Opened (UTC)"]} />
            <TBody>
              {query.data!.incidents.map((incident) => (
                <Tr key={incident.id} data-testid="incident-row" data-incident-id={incident.id} data-status={incident.status}>
                  <Td>
                    <Badge tone={SEVERITY_TONE[incident.severity as Severity]}>{incident.severity}</Badge>
                  </Td>
                  <Td>
                    <Badge tone={STATUS_TONE[incident.status]}>{STATUS_LABEL[incident.status]}</Badge>
                  </Td>
                  <Td>
                    <Link href={`/incidents/${incident.id}`} className={cx("font-medium text-indigo-700 hover:underline", focusRing)}>
                      {ruleTitle(incident.rule)} — {incident.subjectLabel}
                    </Link>
                    <p className="text-sm text-slate-600">{incident.summary}</p>
                  </Td>
                  <Td className="whitespace-nowrap text-sm">{formatUtc(incident.openedAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
