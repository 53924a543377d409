/**
 * The delivery log's filter as it lives in the URL (so every view is a link), and the
 * DeliveryFilter the server takes (server/domain/webhooks/delivery/delivery-filter.ts). Values
 * the URL may carry that the server would refuse are dropped here and reported, so a
 * hand-edited link shows the log rather than an error. Pure: unit tested; the lists are
 * the server's own (pure modules shared with the client).
 *
 *   ?status=RETRYING,DEAD&class=5xx&type=booking.held&endpoint=ep_…&partner=<uuid>
 *    &from=2026-11-20T00:00:00.000Z&to=…&q=BK-7F3K2Q
 */

import { EVENT_TYPES, type EventType } from "@/shared/event-types";
import { DELIVERY_STATUSES, STATUS_CLASSES, type DeliveryStatus, type StatusClass } from "@/shared/delivery-filter-values";
import { ID_PATTERN } from "@/shared/ids";

/** What the server's DeliveryFilter takes (dates as ISO strings; it coerces them). */
export interface DeliveryFilterValue {
  status?: DeliveryStatus[];
  statusClass?: StatusClass;
  eventType?: EventType;
  endpointId?: string;
  partnerId?: string;
  from?: string;
  to?: string;
  bookingReference?: string;
  correlationId?: string;
  eventId?: string;
}

const FILTER_PARAM_KEYS = ["status", "class", "type", "endpoint", "partner", "from", "to", "q"] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** the search box takes an event id in any case */
const EVENT_ID = new RegExp(ID_PATTERN.evt.source, "i");
const BOOKING_REFERENCE = /^BK-[0-9A-Z]{4,12}$/i;

/** What the one search box holds: a booking reference, an event id, or else a correlation id. */
export function searchToFilter(q: string): Pick<DeliveryFilterValue, "bookingReference" | "eventId" | "correlationId"> {
  const text = q.trim().slice(0, 200);
  if (!text) return {};
  if (BOOKING_REFERENCE.test(text)) return { bookingReference: text.toUpperCase() };
  if (EVENT_ID.test(text)) return { eventId: text.toLowerCase() };
  return { correlationId: text };
}

function isoOrNull(value: string | undefined): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export interface ParsedFilter {
  filter: DeliveryFilterValue;
  /** URL keys whose values were not understood and were left out */
  ignored: string[];
}

export function filterFromParams(params: Record<string, string | undefined>): ParsedFilter {
  const filter: DeliveryFilterValue = {};
  const ignored: string[] = [];
  if (params.status) {
    const parts = params.status.split(",").map((s) => s.trim().toUpperCase());
    const valid = parts.filter((s): s is DeliveryStatus => (DELIVERY_STATUSES as readonly string[]).includes(s));
    if (valid.length !== parts.length) ignored.push("status");
    if (valid.length) filter.status = [...new Set(valid)];
  }
  if (params.class) {
    if ((STATUS_CLASSES as readonly string[]).includes(params.class)) filter.statusClass = params.class as StatusClass;
    else ignored.push("class");
  }
  if (params.type) {
    if ((EVENT_TYPES as readonly string[]).includes(params.type)) filter.eventType = params.type as EventType;
    else ignored.push("type");
  }
  if (params.endpoint) {
    if (ID_PATTERN.ep.test(params.endpoint)) filter.endpointId = params.endpoint;
    else ignored.push("endpoint");
  }
  if (params.partner) {
    if (UUID.test(params.partner)) filter.partnerId = params.partner.toLowerCase();
    else ignored.push("partner");
  }
  const from = isoOrNull(params.from);
  const to = isoOrNull(params.to);
  if (params.from && !from) ignored.push("from");
  if (params.to && !to) ignored.push("to");
  if (from && to && from >= to) {
    ignored.push("to");
    filter.from = from;
  } else {
    if (from) filter.from = from;
    if (to) filter.to = to;
  }
  if (params.q) Object.assign(filter, searchToFilter(params.q));
  return { filter, ignored };
}

/** The URL patch that clears every filter (keeps other keys, e.g. the tab). */
export function clearedFilterParams(): Record<string, null> {
  return Object.fromEntries(FILTER_PARAM_KEYS.map((key) => [key, null]));
}

/** Exactly the dead-letter view: status DEAD and nothing else about status. */
export function isDeadLetterView(filter: DeliveryFilterValue): boolean {
  return filter.status?.length === 1 && filter.status[0] === "DEAD";
}

/** "2026-11-21 08:00 UTC" from an ISO string or a Date (a stored job's filter comes back with Dates). */
function utcMinute(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The filter as a stored replay job carries it: the same fields, times possibly as Dates. */
export type StoredDeliveryFilter = Omit<DeliveryFilterValue, "from" | "to"> & { from?: string | Date; to?: string | Date };

/** A short description of a filter, for the bulk replay dialog and the replay jobs panel. */
export function describeFilter(filter: StoredDeliveryFilter, names: { endpoint?: (id: string) => string; partner?: (id: string) => string } = {}): string[] {
  const out: string[] = [];
  if (filter.status?.length) out.push(`status ${filter.status.join(" or ")}`);
  if (filter.statusClass) out.push(filter.statusClass === "none" ? "no HTTP answer" : `last answer ${filter.statusClass}`);
  if (filter.eventType) out.push(`event type ${filter.eventType}`);
  if (filter.endpointId) out.push(`endpoint ${names.endpoint?.(filter.endpointId) ?? filter.endpointId}`);
  if (filter.partnerId) out.push(`partner ${names.partner?.(filter.partnerId) ?? filter.partnerId}`);
  if (filter.from) out.push(`from ${utcMinute(filter.from)}`);
  if (filter.to) out.push(`until ${utcMinute(filter.to)}`);
  if (filter.bookingReference) out.push(`booking ${filter.bookingReference}`);
  if (filter.eventId) out.push(`event ${filter.eventId}`);
  if (filter.correlationId) out.push(`correlation id ${filter.correlationId}`);
  return out;
}

/** `datetime-local` value (the browser's local time) ↔ ISO instant. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
