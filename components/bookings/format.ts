import type { BadgeTone } from "@/components/ui/badge";

/** How the console names and colours booking states, events and filters. Pure (unit tested). */

export type BookingStatusValue = "TENTATIVE" | "CONFIRMED" | "FULFILLED" | "EXPIRED" | "CANCELLED" | "MOVED_OUT";

export const BOOKING_STATUS_OPTIONS: readonly { value: BookingStatusValue; label: string }[] = [
  { value: "TENTATIVE", label: "Held" },
  { value: "CONFIRMED", label: "Confirmed" },
  { value: "FULFILLED", label: "Moved in" },
  { value: "EXPIRED", label: "Expired" },
  { value: "CANCELLED", label: "Cancelled" },
  { value: "MOVED_OUT", label: "Moved out" },
];

const STATUS: Record<BookingStatusValue, { label: string; tone: BadgeTone }> = {
  TENTATIVE: { label: "Held", tone: "warning" },
  CONFIRMED: { label: "Confirmed", tone: "info" },
  FULFILLED: { label: "Moved in", tone: "success" },
  EXPIRED: { label: "Expired", tone: "neutral" },
  CANCELLED: { label: "Cancelled", tone: "danger" },
  MOVED_OUT: { label: "Moved out", tone: "neutral" },
};

export function bookingStatus(status: string): { label: string; tone: BadgeTone } {
  return STATUS[status as BookingStatusValue] ?? { label: status, tone: "neutral" };
}

const EVENT_TITLES: Record<string, string> = {
  "booking.held": "Held",
  "booking.confirmed": "Confirmed",
  "booking.fulfilled": "Moved in",
  "booking.expired": "Hold expired",
  "booking.cancelled": "Cancelled",
  "access.granted": "Access granted",
  "access.revoked": "Access revoked",
  "access.suspended": "Access suspended",
  "access.restored": "Access restored",
  "booking.moved_out": "Moved out",
  "inventory.updated": "Pool updated",
  "inventory.corrected": "Pool corrected",
  "unit.blocked": "Unit blocked",
  "unit.unblocked": "Unit unblocked",
};

export function eventTitle(type: string): string {
  return EVENT_TITLES[type] ?? type;
}

const MATCH_LABELS: Record<string, string> = {
  reference: "Reference",
  partner_reference: "Partner reference",
  unit_code: "Unit",
  customer_name: "Customer name",
  customer_email: "Customer email",
  correlation_id: "Correlation id",
  event_id: "Event id",
  delivery_id: "Delivery id",
  idempotency_key: "Idempotency key",
};

export function matchLabel(kind: string): string {
  return MATCH_LABELS[kind] ?? kind;
}

const ACTOR_TYPES: Record<string, string> = { USER: "user", PARTNER: "partner", SYSTEM: "system", PAYMENT_PROVIDER: "payment provider" };

/** "support@demo.holdfast (user)", "MARKETPLACE (partner)", "system:expire-holds". */
export function actorLabel(actor: { type: string; label: string } | null | undefined): string {
  if (!actor) return "unknown";
  if (actor.type === "SYSTEM") return actor.label;
  return `${actor.label} (${ACTOR_TYPES[actor.type] ?? actor.type.toLowerCase()})`;
}

/** "12 ms", "1.4 s", "—". */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The filters as the URL holds them ↔ the search input. */
const URL_FILTER_KEYS = ["q", "status", "facility", "partner", "createdFrom", "createdTo", "moveInFrom", "moveInTo"] as const;

export interface SearchFilter {
  q?: string;
  status?: BookingStatusValue[];
  facilityCode?: string;
  partnerCode?: string;
  createdFrom?: string;
  createdTo?: string;
  moveInFrom?: string;
  moveInTo?: string;
}

const first = (value: string | string[] | undefined): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return v === undefined || v.trim() === "" ? undefined : v;
};

/**
 * The search's filter from the query string (server page and client read it alike, so
 * the prefetched page is the one the client asks for). Values go to the server as they
 * are: it validates them and says what is wrong.
 */
export function filterFromParams(params: Record<string, string | string[] | undefined>): SearchFilter {
  const filter: SearchFilter = {};
  const q = first(params.q);
  if (q) filter.q = q.trim();
  const status = first(params.status);
  if (status) filter.status = status.split(",").map((s) => s.trim().toUpperCase()) as BookingStatusValue[];
  const facility = first(params.facility);
  if (facility) filter.facilityCode = facility;
  const partner = first(params.partner);
  if (partner) filter.partnerCode = partner;
  for (const key of ["createdFrom", "createdTo", "moveInFrom", "moveInTo"] as const) {
    const value = first(params[key]);
    if (value) filter[key] = value;
  }
  return filter;
}

export function hasFilters(params: Record<string, string | undefined>): boolean {
  return URL_FILTER_KEYS.some((key) => Boolean(params[key]));
}

export const BOOKINGS_PAGE_SIZE = 50;

/** The search input the page prefetches and the client asks for: the same query key. */
export function searchInput(filter: SearchFilter) {
  return { filter, limit: BOOKINGS_PAGE_SIZE };
}
