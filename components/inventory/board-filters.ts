/**
 * The facility board's filters and page as they live in the URL (so a view is a link):
 * `?type=10X10&status=HELD,BLOCKED&floor=1&code=A-1&after=A-180&unit=A-101` (`after` /
 * `before`: the keyset page, docs/performance.md#inventory-board). Read the same way by the page (to
 * prefetch) and the client (to query), so both ask for the same data. The catalogue pages
 * its units with the same filters, RETIRED among the statuses (docs/performance.md#catalogue).
 */

export const UNIT_STATUS_ORDER = ["AVAILABLE", "HELD", "BOOKED", "OCCUPIED", "BLOCKED"] as const;
export type BoardUnitStatus = (typeof UNIT_STATUS_ORDER)[number];
/** The catalogue lists retired units too, last. */
export const LISTED_STATUS_ORDER = [...UNIT_STATUS_ORDER, "RETIRED"] as const;
export type ListedUnitStatus = (typeof LISTED_STATUS_ORDER)[number];

export interface BoardFilters {
  unitType?: string;
  status?: ListedUnitStatus[];
  floor?: number;
  code?: string;
  /** the page after this unit code */
  after?: string;
  /** the page before this unit code */
  before?: string;
}

/** The URL keys of the page; a change of filter removes them (back to the first page). */
export const FIRST_PAGE = { after: null, before: null } as const;

type Params = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Filters from the query string; values that are not valid (a status not in `statusOrder`) are ignored. */
export function parseBoardFilters(params: Params, statusOrder: readonly ListedUnitStatus[] = UNIT_STATUS_ORDER): BoardFilters {
  const filters: BoardFilters = {};
  const type = first(params.type)?.trim().toUpperCase();
  if (type && /^[A-Z0-9][A-Z0-9_-]{0,31}$/.test(type)) filters.unitType = type;
  const statuses = (first(params.status) ?? "")
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is ListedUnitStatus => (statusOrder as readonly string[]).includes(s));
  const unique = statusOrder.filter((s) => statuses.includes(s));
  if (unique.length) filters.status = unique;
  const floor = first(params.floor)?.trim();
  if (floor && /^-?\d{1,3}$/.test(floor) && Number(floor) >= -20 && Number(floor) <= 500) filters.floor = Number(floor);
  const code = first(params.code)?.trim();
  if (code && code.length <= 32) filters.code = code;
  const after = first(params.after)?.trim();
  const before = first(params.before)?.trim();
  if (after && after.length <= 32) filters.after = after;
  else if (before && before.length <= 32) filters.before = before;
  return filters;
}

/**
 * The units read the catalogue asks for (`inventory.board`, retired units listed too) under
 * the URL's filters and page: the page prefetches it, the client queries it, with one key.
 */
export function catalogueUnitsInput(facilityCode: string, params: Params): BoardFilters & { facilityCode: string; includeRetired: true } {
  return { facilityCode, includeRetired: true, ...parseBoardFilters(params, LISTED_STATUS_ORDER) };
}

/** The `status` query value for a set of statuses (in board order); null when none. */
export function statusParam(statuses: readonly ListedUnitStatus[]): string | null {
  const ordered = LISTED_STATUS_ORDER.filter((s) => statuses.includes(s));
  return ordered.length ? ordered.join(",") : null;
}

/** The unit code from `?unit=`, if it looks like one. */
export function parseUnitParam(params: Params): string | null {
  const unit = first(params.unit)?.trim();
  return unit && unit.length <= 32 ? unit : null;
}
