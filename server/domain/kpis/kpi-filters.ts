import { z } from "zod";
import { pgIsoDate } from "@/server/domain/shared/safe-input";

/**
 * The KPI dashboard's filters (docs/domain.md#kpis): the input the console sends (a range,
 * a facility, a partner) and the buckets a range covers.
 */

export const KPI_RANGES = ["24h", "7d", "30d", "90d", "custom"] as const;
export type KpiRange = (typeof KPI_RANGES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** custom ranges up to this many days are drawn hourly, longer ones daily */
export const HOURLY_MAX_DAYS = 7;
export const CUSTOM_MAX_DAYS = 366;

const code = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, `A ${what} code is letters, digits and dashes.`)
    .transform((value) => value.toUpperCase());

export const KpiDashboardInput = z
  .object({
    range: z.enum(KPI_RANGES).default("7d"),
    /** custom range: first and last UTC day, YYYY-MM-DD */
    from: pgIsoDate().optional(),
    to: pgIsoDate().optional(),
    facility: code("facility").optional(),
    partner: code("partner").optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.range !== "custom") return;
    if (!input.from || !input.to) {
      ctx.addIssue({ code: "custom", path: [input.from ? "to" : "from"], message: "A custom range needs a first and a last day." });
      return;
    }
    const days = (Date.parse(input.to) - Date.parse(input.from)) / DAY_MS + 1;
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: "The last day comes before the first." });
    else if (days > CUSTOM_MAX_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `A custom range is at most ${CUSTOM_MAX_DAYS} days.` });
  });
export type KpiDashboardInput = z.input<typeof KpiDashboardInput>;

export type BucketSize = "HOUR" | "DAY";

export interface ResolvedRange {
  bucketSize: BucketSize;
  /** first bucket's start (inclusive) */
  start: Date;
  /** after the last bucket (exclusive) */
  end: Date;
  buckets: Date[];
}

const PRESET_BUCKETS: Record<Exclude<KpiRange, "custom">, { size: BucketSize; count: number }> = {
  "24h": { size: "HOUR", count: 24 },
  "7d": { size: "HOUR", count: 7 * 24 },
  "30d": { size: "DAY", count: 30 },
  "90d": { size: "DAY", count: 90 },
};

/** The buckets a range covers: presets end with the bucket holding `now`; bucket size follows the range. */
export function resolveRange(input: z.output<typeof KpiDashboardInput>, now: Date): ResolvedRange {
  let bucketSize: BucketSize;
  let start: number;
  let end: number;
  if (input.range === "custom") {
    const first = Date.parse(input.from!);
    const afterLast = Date.parse(input.to!) + DAY_MS;
    bucketSize = afterLast - first <= HOURLY_MAX_DAYS * DAY_MS ? "HOUR" : "DAY";
    start = first;
    end = afterLast;
  } else {
    const preset = PRESET_BUCKETS[input.range];
    bucketSize = preset.size;
    const step = preset.size === "HOUR" ? HOUR_MS : DAY_MS;
    end = Math.floor(now.getTime() / step) * step + step;
    start = end - preset.count * step;
  }
  const step = bucketSize === "HOUR" ? HOUR_MS : DAY_MS;
  const buckets: Date[] = [];
  for (let t = start; t < end; t += step) buckets.push(new Date(t));
  return { bucketSize, start: new Date(start), end: new Date(end), buckets };
}
