import type { BadgeTone } from "@/components/ui/badge";
import { KIND_LABELS, type DiscrepancyKind, type Severity } from "@/shared/discrepancy-kinds";

export { KIND_LABELS };

export const SEVERITY_TONE: Record<Severity, BadgeTone> = { LOW: "neutral", MEDIUM: "info", HIGH: "warning", CRITICAL: "danger" };

export const STATUS_TONE: Record<string, BadgeTone> = {
  OPEN: "warning",
  CORRECTED: "success",
  ACKNOWLEDGED: "info",
  IGNORED: "neutral",
  RUNNING: "info",
  SUCCEEDED: "success",
  FAILED: "danger",
};

/** Fixed colours per kind for the trend chart (distinct, and readable on white). */
export const KIND_COLOURS: Record<DiscrepancyKind, string> = {
  POOL_COUNTER: "#4338ca",
  HOLDABLE: "#15803d",
  UNIT_STATUS: "#0e7490",
  EXPIRED_HOLD: "#a16207",
  PARTNER_SNAPSHOT: "#be185d",
  PARTNER_VERSION: "#7c3aed",
  ACCESS_GRANT: "#b91c1c",
};

const FIELD_LABELS: Record<string, string> = {
  total: "Total",
  available: "Available",
  held: "Held",
  booked: "Booked",
  occupied: "Occupied",
  blocked: "Blocked",
  inventory_version: "Inventory version",
  status: "Unit status",
  status_changed_at: "Status since",
  booking_reference: "Booking",
  booking_status: "Booking status",
  active_block: "Active block",
  unit_status: "Unit status",
  reference: "Booking",
  hold_expires_at: "Hold expired at",
  snapshot_id: "Snapshot",
  reported_at: "Reported at",
  acked_version: "Acknowledged version",
  acked_at: "Acknowledged at",
  lag_versions: "Versions behind",
  lag_seconds: "Behind for",
  missed_versions: "Missed versions",
  pending_versions: "Versions in flight",
  grant_status: "Access grant",
  grant_id: "Grant",
  last_grant_id: "Last grant",
  issued_at: "Issued at",
  revoked_at: "Revoked at",
  unit_code: "Unit",
  unholdable_units: "Available, but no hold can take",
};

export function fieldLabel(key: string): string {
  return FIELD_LABELS[key] ?? key.replaceAll("_", " ");
}

/** Keys to show side by side: the expected ones first, then what only the actual side has. */
export function comparedKeys(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  const keys = Object.keys(expected);
  for (const key of Object.keys(actual)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function isTimestamp(value: unknown): value is string {
  return typeof value === "string" && ISO.test(value);
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** A value from expected/actual as text (timestamps are rendered by the caller). */
export function formatValue(key: string, value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length ? value.map((v) => (key.endsWith("versions") ? `v${v}` : String(v))).join(", ") : "none";
  if (key === "lag_seconds" && typeof value === "number") return formatDuration(value);
  if ((key === "inventory_version" || key === "acked_version") && typeof value === "number") return `v${value}`;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function formatRunDuration(startedAt: Date | string, finishedAt: Date | string | null): string {
  if (!finishedAt) return "—";
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export const CHECK_LABELS: Record<string, string> = { counters: "Counters vs facts", partners: "Partners", access: "Access" };

/** What a run scanned, as "81 pools · 600 units · 120 live bookings". */
export function scannedText(scanned: Record<string, Record<string, number> | undefined>): string {
  const parts: string[] = [];
  const c = scanned.counters;
  if (c) parts.push(`${c.pools ?? 0} pools`, `${c.units ?? 0} units`, `${c.liveBookings ?? 0} live bookings`);
  const p = scanned.partners;
  if (p) parts.push(`${p.snapshots ?? 0} partner snapshots`, `${p.endpointPools ?? 0} endpoint × pool acks`);
  const a = scanned.access;
  if (a) parts.push(`${a.activeGrants ?? 0} active grants`, `${a.fulfilledBookings ?? 0} moved-in bookings`);
  return parts.join(" · ");
}
