/**
 * The KPI dashboard's filters as they live in the URL (?range=30d&facility=LON-01&partner=…),
 * turned into the dashboard query's input. Pure: the server page prefetches with the
 * same input the client then asks for, so both share one query key. Anything malformed
 * in the URL falls back to the default rather than breaking the page.
 */

export const RANGE_OPTIONS = [
  { value: "24h", label: "24 h" },
  { value: "7d", label: "7 d" },
  { value: "30d", label: "30 d" },
  { value: "90d", label: "90 d" },
  { value: "custom", label: "Custom" },
] as const;

export type RangeValue = (typeof RANGE_OPTIONS)[number]["value"];
const DEFAULT_RANGE: RangeValue = "7d";

export interface KpiQueryInput {
  range: RangeValue;
  from?: string;
  to?: string;
  facility?: string;
  partner?: string;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const DAY_MS = 86_400_000;
const CUSTOM_MAX_DAYS = 366;

function isDay(value: string | undefined): value is string {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
}

/** Why a custom range in the URL cannot be used, or null when it can (or none is asked for). */
export function customRangeProblem(params: Record<string, string | undefined>): string | null {
  if (params.range !== "custom") return null;
  const { from, to } = params;
  if (!isDay(from) || !isDay(to)) return "Pick a first and a last day for the custom range.";
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) return "The last day comes before the first.";
  if (days > CUSTOM_MAX_DAYS) return `A custom range is at most ${CUSTOM_MAX_DAYS} days.`;
  return null;
}

export function kpiInputFromParams(params: Record<string, string | string[] | undefined>): KpiQueryInput {
  const one = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const flat = { range: one("range"), from: one("from"), to: one("to") };
  const facility = one("facility");
  const partner = one("partner");
  let input: KpiQueryInput;
  const range = RANGE_OPTIONS.find((option) => option.value === flat.range)?.value ?? DEFAULT_RANGE;
  if (range === "custom") {
    input = customRangeProblem(flat) ? { range: DEFAULT_RANGE } : { range, from: flat.from, to: flat.to };
  } else {
    input = { range };
  }
  if (facility && CODE.test(facility)) input.facility = facility.toUpperCase();
  if (partner && CODE.test(partner)) input.partner = partner.toUpperCase();
  return input;
}
