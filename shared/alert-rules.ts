/**
 * The built-in alert rules (docs/operations.md#alerts-and-incidents): what each watches,
 * its default threshold and severity, and where its runbook is. Pure, so the console shows
 * the same titles and links the worker evaluates with. A threshold, a severity or the rule
 * itself may be changed for one facility, partner or endpoint (alert_rule_overrides).
 */

export const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATUSES = ["TRIGGERED", "ACKNOWLEDGED", "RESOLVED"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const SUBJECT_TYPES = ["endpoint", "partner", "facility", "reconciliation", "worker", "payments"] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

export interface AlertRule {
  title: string;
  /** what the threshold measures, for the docs and the incident page */
  measures: string;
  subject: SubjectType;
  /** the condition holds when the measured value is at least this */
  threshold: number;
  severity: Severity;
  /** at or above this value the incident is one severity higher (escalation) */
  escalateAt?: number;
  /** the section of docs/operations.md that says what to do */
  runbook: string;
}

export const ALERT_RULES = {
  endpoint_failing: {
    title: "Endpoint failing",
    measures: "consecutive failed attempts",
    subject: "endpoint",
    threshold: 4,
    severity: "HIGH",
    escalateAt: 50,
    runbook: "endpoint-failing-or-auto-disabled",
  },
  endpoint_failure_rate: {
    title: "Endpoint failure rate",
    measures: "share of first attempts that failed in the last hour (at least 10 attempts)",
    subject: "endpoint",
    threshold: 0.5,
    severity: "MEDIUM",
    escalateAt: 0.9,
    runbook: "endpoint-failing-or-auto-disabled",
  },
  endpoint_disabled: {
    title: "Endpoint disabled",
    measures: "the endpoint is disabled (by the dispatcher or by hand)",
    subject: "endpoint",
    threshold: 1,
    severity: "HIGH",
    runbook: "endpoint-failing-or-auto-disabled",
  },
  dead_letters: {
    title: "Dead letters",
    measures: "deliveries dead-lettered in the last 24 hours and not replayed",
    subject: "endpoint",
    threshold: 1,
    severity: "MEDIUM",
    escalateAt: 100,
    runbook: "dead-letters-growing",
  },
  delivery_backlog: {
    title: "Delivery backlog",
    measures: "age in seconds of the oldest undelivered event",
    subject: "endpoint",
    threshold: 900,
    severity: "MEDIUM",
    escalateAt: 3600,
    runbook: "delivery-backlog",
  },
  inventory_sync_lag: {
    title: "Inventory sync lag",
    measures:
      "p95 seconds from an inventory change to its delivery to the partner's active endpoints (delivered in the last hour, or still undelivered: lag so far)",
    subject: "partner",
    threshold: 300,
    severity: "MEDIUM",
    escalateAt: 3600,
    runbook: "inventory-sync-lag",
  },
  api_refusals_burst: {
    title: "Partner API refusals burst",
    measures: "partner API requests answered 401, 403 or 429 in the last 5 minutes",
    subject: "partner",
    threshold: 20,
    severity: "MEDIUM",
    escalateAt: 200,
    runbook: "rate-limiting-or-authentication-failures",
  },
  drift_open: {
    title: "Drift found",
    measures: "open discrepancies (the incident takes the highest discrepancy severity)",
    subject: "facility",
    threshold: 1,
    severity: "LOW",
    runbook: "drift-found",
  },
  holds_past_expiry: {
    title: "Holds past expiry",
    measures: "seconds the oldest unreleased hold is past its expiry",
    subject: "facility",
    threshold: 300,
    severity: "HIGH",
    escalateAt: 3600,
    runbook: "holds-not-expiring",
  },
  no_worker_heartbeat: {
    title: "No worker heartbeat",
    measures: "seconds since the newest worker heartbeat",
    subject: "worker",
    threshold: 180,
    severity: "CRITICAL",
    runbook: "worker-down",
  },
  reconciliation_failed: {
    title: "Reconciliation run failed",
    measures: "the newest finished run failed",
    subject: "reconciliation",
    threshold: 1,
    severity: "HIGH",
    runbook: "reconciliation-run-failing",
  },
  payment_apply_failed: {
    title: "Payment webhooks failing to apply",
    measures: "payment provider events that failed to apply in the last hour",
    subject: "payments",
    threshold: 1,
    severity: "HIGH",
    escalateAt: 20,
    runbook: "payment-webhooks-failing",
  },
} as const satisfies Record<string, AlertRule>;

export type AlertRuleName = keyof typeof ALERT_RULES;
export const ALERT_RULE_NAMES = Object.keys(ALERT_RULES) as AlertRuleName[];

export function isAlertRuleName(value: string): value is AlertRuleName {
  return Object.hasOwn(ALERT_RULES, value);
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** One step up, CRITICAL stays CRITICAL. */
export function raiseSeverity(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, severityRank(severity) + 1)]!;
}

/** The runbook section of a rule, as a link into the repository's docs. */
export function runbookPath(rule: AlertRuleName): string {
  return `docs/operations.md#${ALERT_RULES[rule].runbook}`;
}

/** Where the console shows an incident's subject; null when it has no page. */
export function subjectHref(rule: string, subjectId: string, detail: { facilityCode?: string; runId?: string } = {}): string | null {
  switch (rule) {
    case "endpoint_failing":
    case "endpoint_failure_rate":
    case "endpoint_disabled":
    case "delivery_backlog":
      return `/webhooks/endpoints/${encodeURIComponent(subjectId)}`;
    case "dead_letters":
      return `/webhooks?status=DEAD&endpoint=${encodeURIComponent(subjectId)}`;
    case "inventory_sync_lag":
      return "/drift?view=partners";
    case "api_refusals_burst":
      return "/kpis";
    case "drift_open":
      return "/drift";
    case "holds_past_expiry":
      return detail.facilityCode ? `/inventory/${encodeURIComponent(detail.facilityCode)}` : "/inventory";
    case "reconciliation_failed":
      return detail.runId ? `/drift/${encodeURIComponent(detail.runId)}` : "/drift";
    default:
      return null;
  }
}
