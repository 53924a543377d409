/** Time formatting shared by every console list and timeline. Pure, so it is unit tested. */

export function toDate(value: Date | string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const zoneFormatters = new Map<string, { body: Intl.DateTimeFormat; zone: Intl.DateTimeFormat }>();

function formattersFor(timeZone: string, withSeconds: boolean) {
  const key = `${timeZone}|${withSeconds}`;
  let formatters = zoneFormatters.get(key);
  if (!formatters) {
    formatters = {
      body: new Intl.DateTimeFormat("en-GB", {
        timeZone,
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        second: withSeconds ? "2-digit" : undefined,
        hourCycle: "h23",
      }),
      // en-US knows the common abbreviations (EDT, AEDT); en-GB writes GMT-4 for New York.
      zone: new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }),
    };
    zoneFormatters.set(key, formatters);
  }
  return formatters;
}

function zoneName(formatter: Intl.DateTimeFormat, date: Date): string {
  return formatter.formatToParts(date).find((part) => part.type === "timeZoneName")?.value ?? "";
}

/** "21 Nov 2026, 07:46 GMT" in the given IANA zone (falls back to UTC for an unknown zone). */
export function formatInZone(value: Date | string, timeZone: string, { withSeconds = false } = {}): string {
  const date = toDate(value);
  if (!date) return "";
  let formatters;
  try {
    formatters = formattersFor(timeZone, withSeconds);
  } catch {
    formatters = formattersFor("UTC", withSeconds);
  }
  return `${formatters.body.format(date)} ${zoneName(formatters.zone, date)}`;
}

/** The exact instant, for hover titles and exports: "2026-11-21 07:46:42.123 UTC". */
export function formatUtc(value: Date | string): string {
  const date = toDate(value);
  if (!date) return "";
  return `${date.toISOString().replace("T", " ").replace("Z", "")} UTC`;
}

/** A countdown or age: "14:59", "1:02:03", "0:00" when past. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h ? String(m).padStart(2, "0") : String(m);
  return `${h ? `${h}:` : ""}${mm}:${String(sec).padStart(2, "0")}`;
}

/** A latency: "850 ms", "1.2 s", "—" for none. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
