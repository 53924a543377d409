/** How the admin screen writes times, durations, limits and labels. Pure, so it is tested on its own. */

const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "21 Nov 2026, 05:35 UTC"; `empty` when there is no time (never used, never signed in). */
export function formatDateTime(value: Date | string | null | undefined, empty = "Never"): string {
  if (!value) return empty;
  const date = typeof value === "string" ? new Date(value) : value;
  return `${DATE_TIME.format(date)} UTC`;
}

/** A hold TTL: "15 min", "1 h", "1 h 30 min", "1 min 30 s", "45 s". */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [h ? `${h} h` : "", m ? `${m} min` : "", s ? `${s} s` : ""].filter(Boolean);
  return parts.length ? parts.join(" ") : "0 s";
}

/** Minutes as typed in a form → whole seconds for the server; null when not a number. */
export function minutesToSeconds(minutes: string): number | null {
  if (minutes.trim() === "") return null;
  const value = Number(minutes);
  return Number.isFinite(value) ? Math.round(value * 60) : null;
}

/** Seconds → the minutes a form shows ("15", "1.5"). */
export function secondsToMinutes(seconds: number): string {
  return String(Math.round((seconds / 60) * 100) / 100);
}

/** A per-minute rate limit; null means the deployment's default. */
export function formatRateLimit(perMinute: number | null): string {
  return perMinute === null ? "default" : `${perMinute.toLocaleString("en-GB")}/min`;
}

/** An optional whole number typed in a form: "" → null, otherwise the number (NaN stays for the server to refuse). */
export function optionalInteger(value: string): number | null {
  return value.trim() === "" ? null : Number(value);
}

const PARTNER_KIND_LABELS: Record<string, string> = {
  MARKETPLACE: "Marketplace",
  PHONE_AGENT: "Phone agent",
  WEBSITE: "Website",
  OTHER: "Other",
};

export function partnerKindLabel(kind: string): string {
  return PARTNER_KIND_LABELS[kind] ?? kind;
}

export type AdminTab = "partners" | "keys" | "users";
const ADMIN_TABS: readonly AdminTab[] = ["partners", "keys", "users"];

/** ?tab= → a known tab; anything else is the first. */
export function parseAdminTab(value: string | null | undefined): AdminTab {
  return ADMIN_TABS.includes(value as AdminTab) ? (value as AdminTab) : "partners";
}

/** The admin screen's URL for a tab (and, for keys, a partner). */
export function adminHref(tab: AdminTab, partnerCode?: string | null): string {
  const params = new URLSearchParams({ tab });
  if (tab === "keys" && partnerCode) params.set("partner", partnerCode);
  return `/admin?${params}`;
}

const DATE = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
const TIME = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** The date and the time apart, for a table cell that shows them on two lines; null when there is no time. */
export function splitDateTime(value: Date | string | null | undefined): { date: string; time: string } | null {
  if (!value) return null;
  const date = typeof value === "string" ? new Date(value) : value;
  return { date: DATE.format(date), time: `${TIME.format(date)} UTC` };
}
