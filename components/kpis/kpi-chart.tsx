"use client";

import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatKpiValue, formatTick, type KpiUnit } from "./format";

/** A Recharts line, bar or area chart taking plain series props: rows of { label, [field]: value }. */

export interface ChartField {
  key: string;
  label: string;
  unit: KpiUnit;
}

export type ChartRow = { label: string } & Record<string, number | string | null>;

const COLOURS = ["#4338ca", "#0f766e", "#b45309", "#be123c", "#0369a1"];

export function KpiChart({
  kind,
  stacked,
  rows,
  fields,
  title,
}: {
  kind: "line" | "bar" | "area";
  stacked: boolean;
  rows: ChartRow[];
  /** the plotted fields; they share one unit (the first's) */
  fields: ChartField[];
  /** names the chart for screen readers */
  title: string;
}) {
  const unit = fields[0]?.unit ?? "count";
  const percentDomain: [number, number] | undefined = unit === "percent" ? [0, 1] : undefined;
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#475569" }} minTickGap={24} tickLine={false} />
      <YAxis
        tick={{ fontSize: 11, fill: "#475569" }}
        tickFormatter={(value: number) => formatTick(value, unit)}
        domain={percentDomain ?? [0, "auto"]}
        allowDecimals={unit !== "count"}
        width={56}
      />
      <Tooltip
        formatter={(value, name) => {
          const field = fields.find((f) => f.label === name);
          return [formatKpiValue(typeof value === "number" ? value : null, field?.unit ?? unit), name];
        }}
        contentStyle={{ fontSize: 12 }}
      />
      {fields.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
    </>
  );
  const common = { data: rows, margin: { top: 8, right: 12, bottom: 0, left: 0 } };
  return (
    <div role="img" aria-label={`${title} chart`} className="h-56 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 560, height: 224 }}>
        {kind === "bar" ? (
          <BarChart {...common}>
            {axes}
            {fields.map((field, i) => (
              <Bar
                key={field.key}
                dataKey={field.key}
                name={field.label}
                fill={COLOURS[i % COLOURS.length]}
                stackId={stacked ? "stack" : undefined}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        ) : kind === "area" ? (
          <AreaChart {...common}>
            {axes}
            {fields.map((field, i) => (
              <Area
                key={field.key}
                type="monotone"
                dataKey={field.key}
                name={field.label}
                stroke={COLOURS[i % COLOURS.length]}
                fill={COLOURS[i % COLOURS.length]}
                fillOpacity={0.25}
                stackId={stacked ? "stack" : undefined}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        ) : (
          <LineChart {...common}>
            {axes}
            {fields.map((field, i) => (
              <Line
                key={field.key}
                type="monotone"
                dataKey={field.key}
                name={field.label}
                stroke={COLOURS[i % COLOURS.length]}
                strokeWidth={2}
                dot={rows.length <= 31}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
