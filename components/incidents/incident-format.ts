import type { BadgeTone } from "@/components/ui/badge";
import { ALERT_RULES, isAlertRuleName, type IncidentStatus, type Severity } from "@/shared/alert-rules";

export const SEVERITY_TONE: Record<Severity, BadgeTone> = { LOW: "neutral", MEDIUM: "info", HIGH: "warning", CRITICAL: "danger" };
export const STATUS_TONE: Record<IncidentStatus, BadgeTone> = { TRIGGERED: "danger", ACKNOWLEDGED: "warning", RESOLVED: "success" };
export const STATUS_LABEL: Record<IncidentStatus, string> = { TRIGGERED: "Triggered", ACKNOWLEDGED: "Acknowledged", RESOLVED: "Resolved" };

export function ruleTitle(rule: string): string {
  return isAlertRuleName(rule) ? ALERT_RULES[rule].title : rule;
}

/** The runbook section on GitHub-style docs paths: shown as the docs path the repository ships. */
export function runbookLabel(rule: string): string | null {
  return isAlertRuleName(rule) ? `docs/operations.md#${ALERT_RULES[rule].runbook}` : null;
}
