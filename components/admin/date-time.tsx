import { formatDateTime, splitDateTime } from "./format";

/** A UTC time on two lines (date, then time), or `empty` when there is none. */
export function DateTime({ value, empty = "Never" }: { value: Date | string | null | undefined; empty?: string }) {
  const parts = splitDateTime(value);
  if (!parts || !value) return <span className="text-xs text-slate-600">{empty}</span>;
  const iso = (typeof value === "string" ? new Date(value) : value).toISOString();
  return (
    <time dateTime={iso} title={formatDateTime(value)} className="block text-xs whitespace-nowrap text-slate-700">
      <span className="block">{parts.date}</span>
      <span className="block text-slate-600">{parts.time}</span>
    </time>
  );
}
