/** Formatting for the KPI charts and their CSV. Fixed locales, so server and browser agree. */

export type KpiUnit = "percent" | "count" | "ms";
export type BucketSize = "HOUR" | "DAY";

const whole = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });

export function formatKpiValue(value: number | null | undefined, unit: KpiUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (unit === "percent") return `${oneDecimal.format(value * 100)} %`;
  if (unit === "count") return whole.format(value);
  if (value < 1000) return `${whole.format(value)} ms`;
  if (value < 60_000) return `${oneDecimal.format(value / 1000)} s`;
  if (value < 3_600_000) return `${oneDecimal.format(value / 60_000)} min`;
  return `${oneDecimal.format(value / 3_600_000)} h`;
}

/** Short axis ticks: "85 %", "1.2 s", "12". */
export function formatTick(value: number, unit: KpiUnit): string {
  if (unit === "percent") return `${whole.format(value * 100)} %`;
  return formatKpiValue(value, unit);
}

const labelFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(size: BucketSize, timeZone: string, long: boolean): Intl.DateTimeFormat {
  const key = `${size}|${timeZone}|${long}`;
  let formatter = labelFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      day: "numeric",
      month: "short",
      ...(long ? { year: "numeric" } : {}),
      ...(size === "HOUR" ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
    });
    labelFormatters.set(key, formatter);
  }
  return formatter;
}

/**
 * A bucket's label: hourly buckets in the given zone ("9 Mar, 14:00"), daily buckets as
 * their UTC day ("9 Mar") — daily buckets are UTC days whatever the facility.
 */
export function bucketLabel(start: Date, size: BucketSize, timeZone: string, { long = false } = {}): string {
  return formatterFor(size, size === "DAY" ? "UTC" : timeZone, long).format(start);
}

/** What the times on a chart are, said once under it. */
export function bucketCaption(size: BucketSize, timeZone: string): string {
  if (size === "DAY") return "Daily buckets: UTC days (00:00–24:00 UTC).";
  return timeZone === "UTC" ? "Hourly buckets, times in UTC." : `Hourly buckets, times in ${timeZone} (the facility's time).`;
}

/** A value as it goes into the CSV: percent as a number of percent (2 decimals), ms and counts as they are. */
export function csvValue(value: number | null | undefined, unit: KpiUnit): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  if (unit === "percent") return Math.round(value * 10_000) / 100;
  if (unit === "ms") return Math.round(value * 10) / 10;
  return value;
}

export const UNIT_SUFFIX: Record<KpiUnit, string> = { percent: "%", count: "count", ms: "ms" };
