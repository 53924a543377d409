/**
 * What reconciliation checks (docs/domain.md#reconciliation-and-corrections) and which
 * corrections need an ops lead. Pure, so the console may import it too.
 */

export const CHECKS = ["counters", "partners", "access"] as const;
export type Check = (typeof CHECKS)[number];

export const DISCREPANCY_KINDS = [
  "POOL_COUNTER",
  "HOLDABLE",
  "UNIT_STATUS",
  "EXPIRED_HOLD",
  "PARTNER_SNAPSHOT",
  "PARTNER_VERSION",
  "ACCESS_GRANT",
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export const KINDS_OF_CHECK: Record<Check, readonly DiscrepancyKind[]> = {
  counters: ["POOL_COUNTER", "HOLDABLE", "UNIT_STATUS", "EXPIRED_HOLD"],
  partners: ["PARTNER_SNAPSHOT", "PARTNER_VERSION"],
  access: ["ACCESS_GRANT"],
};

export const KIND_LABELS: Record<DiscrepancyKind, string> = {
  POOL_COUNTER: "Pool counters",
  HOLDABLE: "Holdable units",
  UNIT_STATUS: "Unit status",
  EXPIRED_HOLD: "Expired hold",
  PARTNER_SNAPSHOT: "Partner snapshot",
  PARTNER_VERSION: "Endpoint version",
  ACCESS_GRANT: "Access grant",
};

export const DISCREPANCY_STATUSES = ["OPEN", "CORRECTED", "ACKNOWLEDGED", "IGNORED"] as const;
export type DiscrepancyStatus = (typeof DISCREPANCY_STATUSES)[number];

export const SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const COUNTER_KEYS = ["total", "available", "held", "booked", "occupied", "blocked"] as const;

/** What applying the correction does, in a sentence for the confirm dialog. */
export const CORRECTION_TEXT: Record<DiscrepancyKind, string> = {
  POOL_COUNTER: "Recount the pool's counters from its units, raise its inventory_version and send inventory.corrected.",
  HOLDABLE:
    "Set the status of each available unit a hold cannot take from its bookings and blocks, recount the pool, raise its inventory_version and send inventory.corrected.",
  UNIT_STATUS:
    "Set the unit's status from its bookings and blocks, recount the pool, raise its inventory_version and send inventory.corrected.",
  EXPIRED_HOLD: "Expire the booking (booking.expired), release its unit and send inventory.corrected with the recounted pool.",
  PARTNER_SNAPSHOT: "Re-announce the pool's current state to partners: inventory.corrected with the next inventory_version.",
  PARTNER_VERSION: "Re-announce the pool's current state to partners: inventory.corrected with the next inventory_version.",
  ACCESS_GRANT: "Bring the access grant in line with the booking: revoke it (access.revoked) or issue a new code (access.granted).",
};

type Json = Record<string, unknown>;

/** The largest difference between two counter sets (expected = facts, actual = the pool). */
export function counterDrift(expected: Json, actual: Json): number {
  let max = 0;
  for (const key of COUNTER_KEYS) {
    const e = Number(expected[key] ?? 0);
    const a = Number(actual[key] ?? 0);
    max = Math.max(max, Math.abs(e - a));
  }
  return max;
}

/**
 * Whether applying the correction needs an ops lead's explicit approval: access and
 * booking-state changes always; counter and unit changes beyond the tolerance. Partner
 * re-announcements change nothing but what partners are told, so never.
 */
export function needsApproval(discrepancy: { kind: DiscrepancyKind; expected: unknown; actual: unknown }, tolerance: number): boolean {
  switch (discrepancy.kind) {
    case "POOL_COUNTER":
      return counterDrift(discrepancy.expected as Json, discrepancy.actual as Json) > tolerance;
    case "HOLDABLE":
      // `available` moves by the difference (and each unit fixed moves two counters by 1)
      return Math.abs(Number((discrepancy.expected as Json).available ?? 0) - Number((discrepancy.actual as Json).available ?? 0)) > tolerance;
    case "UNIT_STATUS":
      // one unit moves between two statuses: two counters change by 1
      return tolerance < 1;
    case "EXPIRED_HOLD":
    case "ACCESS_GRANT":
      return true;
    case "PARTNER_SNAPSHOT":
    case "PARTNER_VERSION":
      return false;
  }
}
