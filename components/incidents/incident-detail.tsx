"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { failureSummary, useConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { Field, FormAlert } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { formatUtc } from "@/components/ui/time-format";
import { acknowledgeIncidentAction, addIncidentNoteAction, resolveIncidentAction } from "@/server/actions/incidents";
import { subjectHref, type Severity } from "@/shared/alert-rules";
import { ruleTitle, runbookLabel, SEVERITY_TONE, STATUS_LABEL, STATUS_TONE } from "./incident-format";

/** /incidents/[id]: what it is about, what to do, its timeline, and (ops leads) acknowledge, resolve, note. */
export function IncidentDetail({ incidentId, canManage }: { incidentId: string; canManage: boolean }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.incidents.get.queryOptions({ incidentId }, { refetchInterval: 15_000 }));
  if (query.isPending) return <Skeleton className="h-64 w-full" />;
  if (query.isError && !query.data) return <QueryErrorState title="The incident could not be loaded" query={query} />;
  const incident = query.data!;
  const link = subjectHref(incident.rule, incident.subjectId, incident.detail as { facilityCode?: string; runId?: string });
  const runbook = runbookLabel(incident.rule);
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <div className="space-y-6">
        <Card aria-labelledby="incident-summary">
          <CardHeader id="incident-summary" title={`${ruleTitle(incident.rule)} — ${incident.subjectLabel}`} />
          <CardBody className="space-y-3">
            <div className="flex flex-wrap gap-2" data-testid="incident-state">
              <Badge tone={SEVERITY_TONE[incident.severity as Severity]}>{incident.severity}</Badge>
              <Badge tone={STATUS_TONE[incident.status]} data-testid="incident-status">
                {STATUS_LABEL[incident.status]}
              </Badge>
              {incident.reopenCount > 0 ? <Badge>Reopened {incident.reopenCount}×</Badge> : null}
            </div>
            <p className="text-sm text-slate-800">{incident.summary}</p>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-slate-500">Opened</dt>
              <dd>{formatUtc(incident.openedAt)}</dd>
              <dt className="text-slate-500">Last seen</dt>
              <dd>{formatUtc(incident.lastSeenAt)}</dd>
              <dt className="text-slate-500">About</dt>
              <dd>
                {link ? (
                  <Link href={link} className={cx("font-medium text-indigo-700 hover:underline", focusRing)} data-testid="incident-subject-link">
                    {incident.subjectLabel}
                  </Link>
                ) : (
                  incident.subjectLabel
                )}
              </dd>
              {runbook ? (
                <>
                  <dt className="text-slate-500">What to do</dt>
                  <dd>
                    The runbook: <code className="font-mono text-xs">{runbook}</code>
                  </dd>
                </>
              ) : null}
            </dl>
          </CardBody>
        </Card>
        <Card aria-labelledby="incident-timeline">
          <CardHeader id="incident-timeline" title="Timeline" />
          <CardBody>
            <ol className="space-y-3" data-testid="incident-timeline">
              {incident.timeline.map((entry) => (
                <li key={entry.id} className="border-l-2 border-slate-200 pl-3 text-sm" data-testid="timeline-entry" data-kind={entry.kind}>
                  <p>
                    <span className="font-medium">{entry.kind.charAt(0) + entry.kind.slice(1).toLowerCase()}</span>{" "}
                    <span className="text-slate-500">
                      · {entry.severity} · {entry.actorLabel} · {formatUtc(entry.at)}
                    </span>
                  </p>
                  {entry.note ? <p className="text-slate-700">{entry.note}</p> : null}
                </li>
              ))}
            </ol>
          </CardBody>
        </Card>
      </div>
      {canManage ? <IncidentActions incidentId={incident.id} status={incident.status} /> : null}
    </div>
  );
}

function IncidentActions({ incidentId, status }: { incidentId: string; status: "TRIGGERED" | "ACKNOWLEDGED" | "RESOLVED" }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [note, setNote] = useState("");
  const refresh = async () => {
    setNote("");
    await queryClient.invalidateQueries({ queryKey: trpc.incidents.pathKey() });
  };
  const acknowledge = useConsoleAction(acknowledgeIncidentAction, { onSuccess: refresh });
  const resolve = useConsoleAction(resolveIncidentAction, { onSuccess: refresh });
  const addNote = useConsoleAction(addIncidentNoteAction, { onSuccess: refresh });
  const failure = acknowledge.failure ?? resolve.failure ?? addNote.failure;
  const pending = acknowledge.pending || resolve.pending || addNote.pending;
  return (
    <Card aria-labelledby="incident-actions" className="h-fit">
      <CardHeader id="incident-actions" title="Act" description="The note goes on the timeline and into the audit log." />
      <CardBody className="space-y-3">
        {failure ? <FormAlert title="That did not work" message={failureSummary(failure)} /> : null}
        <Field id="incident-note" label="Note" optional>
          <textarea
            id="incident-note"
            value={note}
            maxLength={1000}
            onChange={(e) => setNote(e.target.value)}
            rows={3}
            className={cx("w-full rounded-md border border-slate-300 px-3 py-2 text-sm", focusRing)}
          />
        </Field>
        <div className="flex flex-wrap gap-2">
          {status === "TRIGGERED" ? (
            <Button disabled={pending} onClick={() => void acknowledge.run({ incidentId, note })}>
              Acknowledge
            </Button>
          ) : null}
          {status !== "RESOLVED" ? (
            <Button variant="secondary" disabled={pending} onClick={() => void resolve.run({ incidentId, note })}>
              Resolve
            </Button>
          ) : null}
          <Button variant="secondary" disabled={pending || !note.trim()} onClick={() => void addNote.run({ incidentId, note })}>
            Add note
          </Button>
        </div>
      </CardBody>
    </Card>
  );
}
