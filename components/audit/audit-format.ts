/**
 * The audit screen's pure parts: the filter as held in the URL, where each entry's
 * target lives in the console, and how entries are labelled. Free of React and server
 * imports, so the page (server) and the list (client) build the very same query.
 */

export const ACTOR_TYPES = ["USER", "PARTNER", "SYSTEM", "PAYMENT_PROVIDER"] as const;
export const RESULTS = ["SUCCESS", "DENIED", "FAILED"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
export type AuditResultValue = (typeof RESULTS)[number];

export const ACTOR_TYPE_LABELS: Record<ActorType, string> = {
  USER: "User",
  PARTNER: "Partner",
  SYSTEM: "System",
  PAYMENT_PROVIDER: "Payment provider",
};

export const RESULT_LABELS: Record<AuditResultValue, string> = { SUCCESS: "Allowed", DENIED: "Denied", FAILED: "Failed" };

/** The URL keys the audit filter uses, in the order the filter bar shows them. */
const FILTER_KEYS = ["q", "actorType", "actor", "action", "targetType", "targetId", "result", "facility", "correlationId", "from", "to"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface AuditFilterQuery {
  q?: string;
  actorType?: ActorType;
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResultValue;
  facilityCode?: string;
  correlationId?: string;
  /** ISO instants */
  from?: string;
  to?: string;
}

function textParam(value: string | undefined, max = 200): string | undefined {
  const text = value?.trim();
  return text ? text.slice(0, max) : undefined;
}

function instantParam(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * The filter the URL describes. What cannot be a valid filter value (an unknown result,
 * an unreadable date) is left out rather than failing the whole page.
 */
export function filterFromParams(params: Record<string, string | string[] | undefined>): AuditFilterQuery {
  const get = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const filter: AuditFilterQuery = {
    q: textParam(get("q")),
    actorType: ACTOR_TYPES.find((t) => t === get("actorType")),
    actor: textParam(get("actor")),
    action: textParam(get("action"), 100)?.match(/^[a-z0-9_.-]+(\.\*)?$/i)?.[0],
    targetType: textParam(get("targetType"), 64)?.match(/^[a-z0-9_]+$/i)?.[0],
    targetId: textParam(get("targetId")),
    result: RESULTS.find((r) => r === get("result")),
    facilityCode: textParam(get("facility"), 32)?.match(/^[A-Za-z0-9][A-Za-z0-9_-]*$/)?.[0],
    correlationId: textParam(get("correlationId")),
    from: instantParam(get("from")),
    to: instantParam(get("to")),
  };
  if (filter.from && filter.to && filter.from >= filter.to) filter.to = undefined;
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as AuditFilterQuery;
}

/** How many filters are set (the search box included). */
export function activeFilterCount(filter: AuditFilterQuery): number {
  return Object.keys(filter).length;
}

/** /audit with the given filter params. */
export function auditHref(params: Partial<Record<FilterKey, string | null | undefined>>): string {
  const query = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = params[key];
    if (value) query.set(key, value);
  }
  const qs = query.toString();
  return qs ? `/audit?${qs}` : "/audit";
}

// ───────────────────────── targets ─────────────────────────

export interface AuditTargetRef {
  facilityCode: string | null;
  unitCode: string | null;
  unitTypeCode: string | null;
  partnerCode: string | null;
  label: string | null;
  runId: string | null;
}

export interface AuditTargetEntry {
  targetType: string;
  targetId: string | null;
  target: AuditTargetRef;
}

const TARGET_TYPE_LABELS: Record<string, string> = {
  booking: "Booking",
  maintenance_block: "Block",
  block: "Block",
  unit: "Unit",
  inventory_pool: "Pool",
  pool: "Pool",
  webhook_endpoint: "Endpoint",
  endpoint: "Endpoint",
  webhook_delivery: "Delivery",
  delivery: "Delivery",
  partner: "Partner",
  api_key: "API key",
  user: "User",
  event: "Event",
  replay_job: "Replay job",
  reconciliation_run: "Drift run",
  discrepancy: "Discrepancy",
  permission: "Permission",
  database: "Database",
};

export function targetTypeLabel(type: string): string {
  return TARGET_TYPE_LABELS[type] ?? type.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

const enc = encodeURIComponent;

/** Where the console shows an entry's target; null when it has no page (a permission, the database) or is gone. */
export function auditTargetHref(entry: AuditTargetEntry): string | null {
  const { targetType, targetId, target } = entry;
  switch (targetType) {
    case "booking":
      return targetId ? `/bookings/${enc(targetId)}` : null;
    case "maintenance_block":
    case "block":
    case "unit":
      if (!target.facilityCode) return null;
      return target.unitCode ? `/inventory/${enc(target.facilityCode)}?unit=${enc(target.unitCode)}` : `/inventory/${enc(target.facilityCode)}`;
    case "inventory_pool":
    case "pool":
      if (!target.facilityCode) return null;
      return target.unitTypeCode ? `/inventory/${enc(target.facilityCode)}?type=${enc(target.unitTypeCode)}` : `/inventory/${enc(target.facilityCode)}`;
    case "webhook_endpoint":
    case "endpoint":
      return targetId ? `/webhooks/endpoints/${enc(targetId)}` : null;
    case "webhook_delivery":
    case "delivery":
      return targetId ? `/webhooks/deliveries/${enc(targetId)}` : null;
    case "event":
      // The delivery log's search box takes an event id.
      return targetId ? `/webhooks?q=${enc(targetId)}` : null;
    case "replay_job":
      return "/webhooks";
    case "partner":
    case "api_key":
      // The admin screen's keys tab, opened on the partner's keys.
      return target.partnerCode ? `/admin?tab=keys&partner=${enc(target.partnerCode)}` : "/admin?tab=partners";
    case "user":
      return "/admin?tab=users";
    case "reconciliation_run":
    case "discrepancy":
      return target.runId ? `/drift/${enc(target.runId)}` : null;
    default:
      return null;
  }
}

/** What the target is called where people look: a reference, "LON-01 · B-114", a partner code, an email. */
export function auditTargetLabel(entry: AuditTargetEntry): string {
  const { targetType, targetId, target } = entry;
  switch (targetType) {
    case "maintenance_block":
    case "block":
    case "unit":
      if (target.facilityCode && target.unitCode) return `${target.facilityCode} · ${target.unitCode}`;
      break;
    case "inventory_pool":
    case "pool":
      if (target.facilityCode && target.unitTypeCode) return `${target.facilityCode} · ${target.unitTypeCode}`;
      break;
    case "partner":
      if (target.partnerCode) return target.partnerCode;
      break;
    case "api_key":
      if (target.partnerCode) return `${target.partnerCode} · ${target.label ?? "key"}`;
      break;
    case "user":
      if (target.label) return target.label;
      break;
    case "webhook_endpoint":
    case "endpoint":
      if (target.label) return target.label;
      break;
    case "discrepancy":
      if (target.runId) return `${target.runId} · discrepancy`;
      break;
  }
  return targetId ?? "—";
}

/** Entries per page of the audit list (the server prefetches the same first page). */
export const AUDIT_LIST_LIMIT = 50;
