/**
 * The facility board's filters as they live in the URL (so a view is a link):
 * `?type=10X10&status=HELD,BLOCKED&unit=A-101`. Read the same way by the page (to
 * prefetch) and the client (to query), so both ask for the same data.
 */

export const UNIT_STATUS_ORDER = ["AVAILABLE", "HELD", "BOOKED", "OCCUPIED", "BLOCKED"] as const;
export type BoardUnitStatus = (typeof UNIT_STATUS_ORDER)[number];

export interface BoardFilters {
  unitType?: string;
  status?: BoardUnitStatus[];
}

type Params = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Filters from the query string; values that are not valid are ignored. */
export function parseBoardFilters(params: Params): BoardFilters {
  const filters: BoardFilters = {};
  const type = first(params.type)?.trim().toUpperCase();
  if (type && /^[A-Z0-9][A-Z0-9_-]{0,31}$/.test(type)) filters.unitType = type;
  const statuses = (first(params.status) ?? "")
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is BoardUnitStatus => (UNIT_STATUS_ORDER as readonly string[]).includes(s));
  const unique = UNIT_STATUS_ORDER.filter((s) => statuses.includes(s));
  if (unique.length) filters.status = unique;
  return filters;
}

/** The `status` query value for a set of statuses (in board order); null when none. */
export function statusParam(statuses: readonly BoardUnitStatus[]): string | null {
  const ordered = UNIT_STATUS_ORDER.filter((s) => statuses.includes(s));
  return ordered.length ? ordered.join(",") : null;
}

/** The unit code from `?unit=`, if it looks like one. */
export function parseUnitParam(params: Params): string | null {
  const unit = first(params.unit)?.trim();
  return unit && unit.length <= 32 ? unit : null;
}
