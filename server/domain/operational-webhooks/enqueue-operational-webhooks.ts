import { appBaseUrl } from "@/server/config";
import type { Actor } from "@/server/domain/shared/actor";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { newId } from "@/server/domain/shared/ids";
import { JOBS } from "@/server/domain/shared/jobs";
import type { Tx } from "@/server/domain/shared/tx";
import { ALERT_RULES, isAlertRuleName, runbookPath, severityRank, subjectHref } from "@/shared/alert-rules";
import { operationalEventType, type IncidentChangeData, type OperationalMessage } from "@/shared/operational-webhooks";

/**
 * The outbox side of operational webhooks (docs/operations.md#operational-webhooks): in the
 * transaction that records incident state changes (incident-timeline.ts), one delivery per
 * change and enabled endpoint that wants it, its body fixed now, and a wake-up for the
 * sending job. Nothing is sent here: the job sends after commit
 * (send-operational-webhooks.ts), so a rolled-back change is never told.
 */

export interface RecordedChange {
  /** the incident_timeline entry */
  entryId: bigint;
  incidentId: string;
  kind: string;
  severity: IncidentChangeData["severity"];
  note?: string | null;
  at: Date;
  metadata?: Record<string, unknown>;
}

/** Wakes the sending job now (one pending job at most; a running one is followed by a new one). */
export async function wakeOperationalWebhooks(tx: Pick<Tx, "$executeRaw">, correlationId: string): Promise<void> {
  await enqueueJob(tx, JOBS.sendOperationalWebhooks, { correlationId }, { jobKey: JOBS.sendOperationalWebhooks, jobKeyMode: "replace" });
}

/** Enqueues the messages of `changes`; returns how many deliveries it made. */
export async function enqueueOperationalWebhooks(tx: Tx, actor: Actor, changes: readonly RecordedChange[]): Promise<number> {
  const told = changes.flatMap((c) => {
    const type = operationalEventType(c.kind);
    return type ? [{ ...c, type }] : [];
  });
  if (!told.length) return 0;
  const endpoints = await tx.operationalWebhookEndpoint.findMany({
    where: { enabled: true },
    select: { id: true, eventTypes: true, minSeverity: true },
    orderBy: { id: "asc" },
  });
  if (!endpoints.length) return 0;
  const incidents = new Map(
    (
      await tx.incident.findMany({
        where: { id: { in: [...new Set(told.map((c) => c.incidentId))] } },
        select: { id: true, rule: true, subjectType: true, subjectId: true, subjectLabel: true, facilityId: true, status: true, summary: true, detail: true },
      })
    ).map((i) => [i.id, i]),
  );
  const base = appBaseUrl();
  const rows: { id: string; endpointId: string; eventType: string; incidentId: string; timelineEntryId: bigint; body: string; nextAttemptAt: Date; createdAt: Date }[] = [];
  for (const change of told) {
    const incident = incidents.get(change.incidentId);
    if (!incident) continue;
    const link = subjectHref(incident.rule, incident.subjectId, incident.detail as { facilityCode?: string; runId?: string });
    const previous = change.metadata?.from;
    const data: IncidentChangeData = {
      incident_id: incident.id,
      change_id: change.entryId.toString(),
      rule: incident.rule,
      rule_title: isAlertRuleName(incident.rule) ? ALERT_RULES[incident.rule].title : incident.rule,
      severity: change.severity,
      previous_severity: typeof previous === "string" ? previous : null,
      status: incident.status,
      subject: { type: incident.subjectType, id: incident.subjectId, label: incident.subjectLabel },
      facility_id: incident.facilityId,
      summary: incident.summary,
      note: change.note ?? null,
      changed_by: actor.label,
      occurred_at: change.at.toISOString(),
      console_url: `${base}/incidents/${incident.id}`,
      subject_url: link ? `${base}${link}` : null,
      runbook: isAlertRuleName(incident.rule) ? runbookPath(incident.rule) : null,
    };
    for (const endpoint of endpoints) {
      if (endpoint.eventTypes.length && !endpoint.eventTypes.includes(change.type)) continue;
      // A resolution is told to whoever was told of the incident at its severity.
      if (severityRank(change.severity) < severityRank(endpoint.minSeverity)) continue;
      const id = newId("msg", change.at.getTime());
      const message: OperationalMessage = {
        id,
        type: change.type,
        schema_version: 1,
        created_at: change.at.toISOString(),
        correlation_id: actor.correlationId,
        data,
      };
      rows.push({
        id,
        endpointId: endpoint.id,
        eventType: change.type,
        incidentId: incident.id,
        timelineEntryId: change.entryId,
        body: JSON.stringify(message),
        nextAttemptAt: change.at,
        createdAt: change.at,
      });
    }
  }
  if (!rows.length) return 0;
  await tx.operationalWebhookDelivery.createMany({ data: rows, skipDuplicates: true });
  await wakeOperationalWebhooks(tx, actor.correlationId);
  return rows.length;
}
