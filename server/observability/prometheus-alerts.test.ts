import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALERT_RULE_NAMES, ALERT_RULES, raiseSeverity, runbookPath, type AlertRule, type AlertRuleName } from "@/shared/alert-rules";
import { metrics } from "./metrics";

/**
 * ops/prometheus/alerts.yml mirrors the built-in rules (docs/operations.md#prometheus-alerts-and-grafana):
 * one alertname per rule of ALERT_RULES, at the same thresholds and severities, linking
 * the same runbook section, over a metric /api/metrics exports. A rule added to
 * shared/alert-rules.ts without its alert here (or a threshold changed on one side only)
 * fails this test. promtool checks the file's syntax and behaviour (scripts/test.sh).
 */

const root = path.resolve(__dirname, "../..");
const ALERTS_FILE = path.join(root, "ops/prometheus/alerts.yml");
/** Alerts in the file that are not built-in rules, and why they are allowed. */
const EXTRA_ALERTS = new Set(["holdfast_metrics_snapshot_down"]); // the signals cannot be read at all

interface AlertEntry {
  alert: string;
  expr: string;
  severity: string;
  runbookUrl: string;
}

/** The `- alert:` entries of a rules file as this repository writes it (one line per field). */
function readAlerts(text: string): AlertEntry[] {
  const blocks = text.split(/^\s*- alert:\s*/m).slice(1);
  return blocks.map((block) => {
    const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`, "m").exec(block)?.[1]?.replace(/^(['"])(.*)\1$/, "$2") ?? "";
    return { alert: block.split("\n")[0]!.trim(), expr: field("expr"), severity: field("severity"), runbookUrl: field("runbook_url") };
  });
}

/** GitHub's heading anchors, which docs/ links use. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading] of markdown.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
    anchors.add(heading!.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, "").replace(/\s/g, "-"));
  }
  return anchors;
}

/** The thresholds an entry compares with: `>= a` and optionally `< b`. */
function bounds(expr: string): { atLeast: number | null; below: number | null } {
  const atLeast = /\s>=\s*([\d.]+)/.exec(expr)?.[1];
  const below = /\s<\s*([\d.]+)/.exec(expr)?.[1];
  return { atLeast: atLeast === undefined ? null : Number(atLeast), below: below === undefined ? null : Number(below) };
}

describe("ops/prometheus/alerts.yml", () => {
  const alerts = readAlerts(fs.readFileSync(ALERTS_FILE, "utf8"));

  it("has an alert for every built-in rule, under the rule's name, and nothing unexplained", () => {
    const names = new Set(alerts.map((a) => a.alert));
    expect([...names].filter((n) => !EXTRA_ALERTS.has(n)).sort()).toEqual([...ALERT_RULE_NAMES].sort());
  });

  it.each(ALERT_RULE_NAMES)("%s: the built-in threshold, severity and escalation, on the rule's own signal", (name: AlertRuleName) => {
    const rule: AlertRule = ALERT_RULES[name];
    const entries = alerts.filter((a) => a.alert === name);
    for (const e of entries) {
      expect(e.expr).toContain(`holdfast_alert_signal{rule="${name}"}`);
      expect(e.runbookUrl).toBe(runbookPath(name));
    }
    const found = entries.map((e) => ({ ...bounds(e.expr), severity: e.severity }));
    if (rule.escalateAt !== undefined) {
      expect(found).toEqual([
        { atLeast: rule.threshold, below: rule.escalateAt, severity: rule.severity },
        { atLeast: rule.escalateAt, below: null, severity: raiseSeverity(rule.severity) },
      ]);
    } else if (name === "drift_open") {
      // the severity is the worst open discrepancy's, carried by the signal
      expect(found).toEqual([{ atLeast: rule.threshold, below: null, severity: "{{ $labels.signal_severity }}" }]);
    } else {
      expect(found).toEqual([{ atLeast: rule.threshold, below: null, severity: rule.severity }]);
    }
  });

  it("links runbook sections that exist in docs/operations.md", () => {
    const anchors = anchorsOf(fs.readFileSync(path.join(root, "docs/operations.md"), "utf8"));
    for (const a of alerts) {
      const [file, anchor] = a.runbookUrl.split("#");
      expect(file, a.alert).toBe("docs/operations.md");
      expect(anchors.has(anchor!), `${a.alert}: #${anchor}`).toBe(true);
    }
  });

  it("queries only metrics /api/metrics exports", async () => {
    const exported = new Set([...(await metrics.registry.getMetricsAsJSON()), ...(await metrics.snapshotRegistry.getMetricsAsJSON())].map((m) => m.name));
    for (const a of alerts) {
      for (const [, metric] of a.expr.matchAll(/\b((?:holdfast|http|webhook)_[a-z_]+)\b/g)) expect(exported, `${a.alert}: ${metric}`).toContain(metric);
    }
  });
});
