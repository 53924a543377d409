/**
 * The block dialog asks for times as the facility's staff read them (its timezone), in a
 * datetime-local input ("2026-11-21T14:30" or with seconds). These convert between that
 * wall-clock text and UTC instants. Pure, so they are unit tested.
 */

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partFormatters.get(timeZone);
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
    partFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The zone's offset from UTC at `at`, in milliseconds (Europe/London in summer: +3 600 000). */
function offsetAt(at: Date, timeZone: string): number {
  const p = wallClockParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2026-11-21T14:30" at `timeZone` → the UTC instant; null for text that is not a time.
 * A wall-clock time skipped by a DST change resolves to the instant after the gap; one
 * that happens twice, to the first.
 */
export function zonedLocalToUtc(local: string, timeZone: string): Date | null {
  const match = LOCAL.exec(local.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // Two passes settle on the offset in force at the answer (DST edges).
  const first = wall - offsetAt(new Date(wall), timeZone);
  const second2 = wall - offsetAt(new Date(first), timeZone);
  return new Date(second2);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The UTC instant as datetime-local text in `timeZone`, to the minute or (withSeconds) the second. */
export function utcToZonedLocal(at: Date, timeZone: string, { withSeconds = false } = {}): string {
  const p = wallClockParts(at, timeZone);
  const base = `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
  return withSeconds ? `${base}:${pad(p.second)}` : base;
}
