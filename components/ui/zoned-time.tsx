import { formatInZone, formatUtc, toDate } from "./time-format";

/**
 * A time as the facility's staff read it: in the facility's timezone (with its
 * abbreviation), the exact UTC instant on hover and in `dateTime`. Deterministic (fixed
 * locale and zone), so server and client render the same text.
 */
export function ZonedTime({
  value,
  timeZone,
  empty = "—",
  withSeconds = false,
  className,
}: {
  value: Date | string | null | undefined;
  /** IANA zone, e.g. "Europe/London"; UTC when omitted */
  timeZone?: string | null;
  empty?: string;
  withSeconds?: boolean;
  className?: string;
}) {
  const date = toDate(value);
  if (!date) return <span className="text-slate-500">{empty}</span>;
  return (
    <time dateTime={date.toISOString()} title={formatUtc(date)} className={className ?? "whitespace-nowrap tabular-nums"}>
      {formatInZone(date, timeZone ?? "UTC", { withSeconds })}
    </time>
  );
}
