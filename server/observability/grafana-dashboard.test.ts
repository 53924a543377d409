import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { metrics } from "./metrics";

/**
 * ops/grafana/holdfast.json (docs/operations.md#prometheus-alerts-and-grafana) charts
 * only metrics this code exports, and every holdfast_* gauge has a panel: renaming a
 * metric, or adding a gauge without charting it, fails here rather than on an operator's
 * empty panel.
 */

const DASHBOARD = path.resolve(__dirname, "../../ops/grafana/holdfast.json");
const PROMQL_WORDS = new Set(["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"]);

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string }[];
  panels?: Panel[];
}

/** The metric names a PromQL expression reads (functions, keywords, labels and Grafana variables aside). */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values
    .replace(/\{[^}]*\}/g, "") // matchers
    .replace(/\[[^\]]*\]/g, "") // ranges
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "") // grouping labels
    .replace(/\$\{?\w+\}?/g, ""); // Grafana variables
  const names: string[] = [];
  for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = match[0];
    const after = bare.slice(match.index! + word.length).trimStart();
    if (after.startsWith("(") || PROMQL_WORDS.has(word)) continue; // a function or a keyword
    names.push(word);
  }
  return names;
}

describe("ops/grafana/holdfast.json", () => {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, "utf8")) as { templating: { list: { name: string; type: string; query: unknown }[] }; panels: Panel[] };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== "row");
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it("reads its Prometheus from a datasource variable, in every panel", () => {
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: "datasource", type: "datasource", query: "prometheus" }));
    for (const p of panels) expect(p.datasource, p.title).toEqual({ type: "prometheus", uid: "${datasource}" });
    expect(exprs.length).toBeGreaterThan(10);
  });

  it("queries only metrics the app's /api/metrics or a worker's /metrics exports", async () => {
    const families = [...(await metrics.registry.getMetricsAsJSON()), ...(await metrics.snapshotRegistry.getMetricsAsJSON())];
    const exported = new Set<string>();
    for (const m of families) {
      exported.add(m.name);
      if (String(m.type) === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) exported.add(`${m.name}${suffix}`);
    }
    for (const { panel, expr } of exprs) {
      const names = metricNamesIn(expr);
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) expect(exported.has(name), `${panel}: ${name} is not exported`).toBe(true);
    }
  });

  it("charts every holdfast_* gauge and the request and delivery counters", async () => {
    const queried = new Set(exprs.flatMap(({ expr }) => metricNamesIn(expr)));
    const wanted = (await metrics.snapshotRegistry.getMetricsAsJSON()).map((m) => m.name);
    wanted.push("http_requests_total", "http_request_duration_seconds_bucket", "webhook_attempts_total");
    expect(wanted.filter((name) => !queried.has(name))).toEqual([]);
  });

  it("finds metric names in PromQL (the parser the checks above rely on)", () => {
    expect(metricNamesIn('histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"$r"}[$__rate_interval])))')).toEqual([
      "http_request_duration_seconds_bucket",
    ]);
    expect(metricNamesIn("1 - sum by (facility) (holdfast_pool_available) / sum by (facility) (holdfast_pool_total)")).toEqual(["holdfast_pool_available", "holdfast_pool_total"]);
    expect(metricNamesIn("time() - max(holdfast_worker_last_heartbeat_seconds)")).toEqual(["holdfast_worker_last_heartbeat_seconds"]);
  });
});
