/**
 * The currency a facility charges in, from its country (ISO 3166-1 alpha-2). Rates are
 * stored as integer cents of this currency.
 */
const CURRENCY_BY_COUNTRY: Record<string, string> = {
  GB: "GBP",
  US: "USD",
  AU: "AUD",
  CA: "CAD",
  NZ: "NZD",
  IE: "EUR",
  FR: "EUR",
  DE: "EUR",
  NL: "EUR",
  BE: "EUR",
  ES: "EUR",
  IT: "EUR",
  PT: "EUR",
  AT: "EUR",
  FI: "EUR",
  CH: "CHF",
  SE: "SEK",
  NO: "NOK",
  DK: "DKK",
  SG: "SGD",
  JP: "JPY",
};

/** null for a country not listed here: the console then shows the amount without a symbol. */
export function currencyForCountry(country: string): string | null {
  return CURRENCY_BY_COUNTRY[country.trim().toUpperCase()] ?? null;
}
