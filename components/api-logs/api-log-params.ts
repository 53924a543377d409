/**
 * The request log screen's pure parts: the filter as held in the URL (so every view is a
 * link that can be shared), the links into it, and labels. Free of React and server
 * imports, so the page (server) and the list (client) build the very same query.
 */

export const API_LOG_PAGE_SIZE = 50;
/** The CSV export's cap (the domain's API_REQUEST_EXPORT_LIMIT). */
export const API_LOG_EXPORT_LIMIT = 10_000;

export const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;
export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;
export const SOURCES = ["partner_api", "payment_webhook"] as const;
export const SOURCE_LABELS: Record<(typeof SOURCES)[number], string> = { partner_api: "Partner API", payment_webhook: "Payment webhook" };

/** The URL keys of the filter, in the order the filter bar shows them. */
export const API_LOG_FILTER_KEYS = [
  "partner",
  "keyPrefix",
  "route",
  "method",
  "status",
  "statusClass",
  "code",
  "idempotencyKey",
  "correlationId",
  "bookingReference",
  "facility",
  "source",
  "from",
  "to",
] as const;
export type ApiLogFilterKey = (typeof API_LOG_FILTER_KEYS)[number];

/** What the domain's ApiRequestFilter takes, from the URL. */
export interface ApiLogFilter {
  partner?: string;
  keyPrefix?: string;
  route?: string;
  method?: (typeof METHODS)[number];
  status?: number;
  statusClass?: (typeof STATUS_CLASSES)[number];
  code?: string;
  idempotencyKey?: string;
  correlationId?: string;
  bookingReference?: string;
  facility?: string;
  source?: (typeof SOURCES)[number];
  /** ISO instants; `to` exclusive */
  from?: string;
  to?: string;
}

function text(value: string | undefined, max: number, shape?: RegExp): string | undefined {
  const t = value?.trim();
  if (!t || t.length > max) return undefined;
  return shape && !shape.test(t) ? undefined : t;
}

function instant(value: string | undefined): string | undefined {
  const t = value?.trim();
  if (!t) return undefined;
  const time = Date.parse(t);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/**
 * The filter the URL describes. A value that cannot be a filter (an unknown method, a
 * status of 42, an unreadable date) is left out rather than failing the whole page.
 */
export function apiLogFilterFromParams(params: Record<string, string | string[] | undefined>): ApiLogFilter {
  const get = (key: string) => {
    const value = params[key];
    return Array.isArray(value) ? value[0] : value;
  };
  const status = Number(get("status"));
  const filter: ApiLogFilter = {
    partner: text(get("partner"), 64, CODE)?.toUpperCase(),
    keyPrefix: text(get("keyPrefix"), 32),
    route: text(get("route"), 200),
    method: METHODS.find((m) => m === get("method")?.toUpperCase()),
    status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined,
    statusClass: STATUS_CLASSES.find((c) => c === get("statusClass")),
    code: text(get("code"), 64, /^[A-Za-z_]+$/)?.toUpperCase(),
    idempotencyKey: text(get("idempotencyKey"), 255),
    correlationId: text(get("correlationId"), 200),
    bookingReference: text(get("bookingReference"), 64, CODE)?.toUpperCase(),
    facility: text(get("facility"), 32, CODE)?.toUpperCase(),
    source: SOURCES.find((s) => s === get("source")),
    from: instant(get("from")),
    to: instant(get("to")),
  };
  if (filter.from && filter.to && filter.from >= filter.to) filter.to = undefined;
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as ApiLogFilter;
}

export function activeApiLogFilterCount(filter: ApiLogFilter): number {
  return Object.keys(filter).length;
}

/** /api-logs with the given filter. */
export function apiLogsHref(params: Partial<Record<ApiLogFilterKey, string | number | null | undefined>>): string {
  const query = new URLSearchParams();
  for (const key of API_LOG_FILTER_KEYS) {
    const value = params[key];
    if (value !== null && value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `/api-logs?${qs}` : "/api-logs";
}

/** One request's detail page. */
export function apiRequestHref(id: string): string {
  return `/api-logs/${encodeURIComponent(id)}`;
}

/** The idempotency inspector, opened on a partner's key. */
export function idempotencyHref(partner: string | null | undefined, key: string | null | undefined): string {
  const query = new URLSearchParams();
  if (partner) query.set("partner", partner);
  if (key) query.set("key", key);
  const qs = query.toString();
  return qs ? `/api-logs/idempotency?${qs}` : "/api-logs/idempotency";
}

/** A body as stored, pretty-printed when it is JSON. */
export function prettyBody(body: string | null): string {
  if (body === null || body === "") return "";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** "POST /api/v1/bookings/BK-1/confirm?x=1" */
export function requestLine(r: { method: string; path: string; query: string | null }): string {
  return `${r.method} ${r.path}${r.query ? `?${r.query}` : ""}`;
}
