/**
 * Wall-clock arithmetic in a facility's timezone for the history generator: which
 * calendar day an instant falls on at the facility, and which instant a local date and
 * time of day is. Dates are `YYYY-MM-DD` strings, instants are epoch milliseconds.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(timeZone: string, instant: number): { date: string; utcOfWall: number } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) parts[part.type] = part.value;
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const utcOfWall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return { date, utcOfWall };
}

/** The facility's calendar date at `instant` (what createHold calls "today"). */
export function localDate(timeZone: string, instant: number): string {
  return wallClock(timeZone, instant).date;
}

/** How far the facility's wall clock is ahead of UTC at `instant`. */
function offsetAt(timeZone: string, instant: number): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(timeZone, whole).utcOfWall - whole;
}

/** The instant at which the facility's wall clock shows `date` plus `minutes` after midnight. */
export function zonedInstant(timeZone: string, date: string, minutes: number): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + Math.round(minutes * MINUTE_MS);
  const guess = wall - offsetAt(timeZone, wall);
  // A second pass settles instants near a daylight-saving change.
  return wall - offsetAt(timeZone, guess);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, of a calendar date. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The UTC midnight that starts the UTC day of `instant`. */
export function utcMidnight(instant: number): number {
  return Math.floor(instant / DAY_MS) * DAY_MS;
}
