import { ALERT_RULES, raiseSeverity, type AlertRuleName, type Severity } from "@/shared/alert-rules";
import type { Measurement } from "./read-signals";

/**
 * Defaults (shared/alert-rules.ts) and overrides (alert_rule_overrides) turned into
 * conditions: a measurement at or over its threshold is a condition with a severity.
 * The most specific override wins: endpoint, then partner, then facility.
 */

export interface RuleOverride {
  rule: string;
  scopeType: string;
  scopeId: string;
  threshold: number | null;
  severity: Severity | null;
  enabled: boolean;
}

export interface Condition extends Measurement {
  severity: Severity;
  threshold: number;
}

const SPECIFICITY = ["ENDPOINT", "PARTNER", "FACILITY"] as const;

function overrideFor(overrides: readonly RuleOverride[], m: Measurement): RuleOverride | undefined {
  const ids: Record<(typeof SPECIFICITY)[number], string | null> = {
    ENDPOINT: m.subjectType === "endpoint" ? m.subjectId : null,
    PARTNER: m.partnerId,
    FACILITY: m.facilityId,
  };
  for (const scope of SPECIFICITY) {
    const id = ids[scope];
    if (!id) continue;
    const found = overrides.find((o) => o.rule === m.rule && o.scopeType === scope && o.scopeId === id);
    if (found) return found;
  }
  return undefined;
}

export function toConditions(measurements: readonly Measurement[], overrides: readonly RuleOverride[]): Condition[] {
  const out: Condition[] = [];
  for (const m of measurements) {
    const rule = ALERT_RULES[m.rule as AlertRuleName];
    const override = overrideFor(overrides, m);
    if (override && !override.enabled) continue;
    const threshold = override?.threshold ?? rule.threshold;
    if (m.value < threshold) continue;
    let severity: Severity = override?.severity ?? m.severity ?? rule.severity;
    if ("escalateAt" in rule && m.value >= rule.escalateAt && !override?.severity) severity = raiseSeverity(severity);
    out.push({ ...m, severity, threshold });
  }
  return out;
}
