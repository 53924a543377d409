/**
 * Operational webhooks (docs/operations.md#operational-webhooks): the event types the
 * operator's own endpoints receive, one per incident state change. Pure, so the admin
 * screen offers the same types the worker sends.
 */

export const OPERATIONAL_EVENT_TYPES = [
  "incident.triggered",
  "incident.acknowledged",
  "incident.escalated",
  "incident.downgraded",
  "incident.reopened",
  "incident.resolved",
] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

/** The type of the console's "Send test" message: not an incident change. */
export const OPERATIONAL_TEST_TYPE = "webhook.test";

/** The timeline kind (TRIGGERED, …) a state change is recorded under → its event type. */
export function operationalEventType(timelineKind: string): OperationalEventType | null {
  const type = `incident.${timelineKind.toLowerCase()}`;
  return (OPERATIONAL_EVENT_TYPES as readonly string[]).includes(type) ? (type as OperationalEventType) : null;
}

/** The body of an operational webhook (the `data` of an incident.* message). */
export interface IncidentChangeData {
  incident_id: string;
  /** the timeline entry of the change: the same for every endpoint told of it */
  change_id: string;
  rule: string;
  rule_title: string;
  severity: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
  /** with incident.escalated / incident.downgraded: the severity before */
  previous_severity: string | null;
  status: "TRIGGERED" | "ACKNOWLEDGED" | "RESOLVED";
  subject: { type: string; id: string; label: string };
  facility_id: string | null;
  summary: string;
  /** the note on the change (the acknowledger's, "The condition cleared.", …) */
  note: string | null;
  /** who made the change: a user's e-mail, or the system job */
  changed_by: string;
  occurred_at: string;
  /** the incident in the console */
  console_url: string;
  /** what the incident is about in the console, when it has a page */
  subject_url: string | null;
  /** the runbook section in the repository's docs that says what to do */
  runbook: string | null;
}

export interface OperationalMessage<T = IncidentChangeData> {
  /** the webhook-id */
  id: string;
  type: OperationalEventType | typeof OPERATIONAL_TEST_TYPE;
  schema_version: 1;
  created_at: string;
  correlation_id: string | null;
  data: T;
}
