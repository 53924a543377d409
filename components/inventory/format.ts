/** Formatting for the inventory screens. Fixed locales, so server and browser render alike. */

const oneDecimal = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 1 });
const wholeNumber = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });

/** Monthly rates: integer cents in the facility's currency, shown the way its country writes them. */
export function formatMoney(cents: number, currency: string | null, country: string): string {
  const amount = cents / 100;
  if (!currency) return new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount);
  let locale = `en-${country.toUpperCase()}`;
  try {
    Intl.NumberFormat.supportedLocalesOf([locale]);
  } catch {
    locale = "en-GB";
  }
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
}

/** "10 × 7.5 ft" */
export function formatDimensions(widthFt: number, depthFt: number): string {
  return `${oneDecimal.format(widthFt)} × ${oneDecimal.format(depthFt)} ft`;
}

/** "75 sq ft" */
export function formatArea(areaSqFt: number): string {
  return `${oneDecimal.format(areaSqFt)} sq ft`;
}

export function formatCount(value: number): string {
  return wholeNumber.format(value);
}

/** Occupied units as a share of all units, e.g. "72%"; "—" for an empty pool. */
export function formatOccupancy(occupied: number, total: number): string {
  if (total <= 0) return "—";
  return `${Math.round((occupied / total) * 100)}%`;
}

/** The time at a facility, e.g. "Fri 14:32 GMT". */
export function formatFacilityTime(at: Date, timezone: string): string {
  try {
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: timezone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }).format(at);
  } catch {
    return "—";
  }
}

/** A wall-clock time in UTC, e.g. "14:32:05 UTC". */
export function formatUtcTime(at: Date | number): string {
  return `${new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(at)} UTC`;
}
