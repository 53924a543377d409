"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { DISCREPANCY_KINDS } from "@/shared/discrepancy-kinds";
import type { Run } from "./drift-overview";
import { KIND_COLOURS, KIND_LABELS } from "./format";

/** Discrepancies found per finished run, stacked by kind, oldest run on the left. */
export function RunTrendChart({ runs }: { runs: Run[] }) {
  const data = runs
    .filter((r) => r.status === "SUCCEEDED")
    .slice(0, 30)
    .reverse()
    .map((r) => ({
      run: r.id,
      label: new Date(r.startedAt).toISOString().slice(5, 16).replace("T", " "),
      ...Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, r.summary.found?.[k] ?? 0])),
    }));
  const total = data.reduce((sum, d) => sum + DISCREPANCY_KINDS.reduce((s, k) => s + Number((d as Record<string, unknown>)[k] ?? 0), 0), 0);
  return (
    <figure data-testid="drift-trend-chart">
      <div className="h-64 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#475569" }} interval="preserveStartEnd" />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: "#475569" }} />
            <Tooltip labelFormatter={(label) => `Run started ${String(label)} UTC`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {DISCREPANCY_KINDS.map((kind) => (
              <Bar key={kind} dataKey={kind} name={KIND_LABELS[kind]} stackId="kinds" fill={KIND_COLOURS[kind]} maxBarSize={56} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-xs text-slate-600">
        {data.length} finished runs, {total} discrepancies found in all (a drift still open is counted by every run that finds it). Times in UTC.
      </figcaption>
    </figure>
  );
}
