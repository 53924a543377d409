import { z } from "zod";
import type { Facility } from "../../generated/prisma/client";
import { isTimeZone } from "./catalogue-codes";

/** A facility's editable fields (docs/domain.md#catalogue), shared by create and update. */
export const FacilityFields = {
  name: z.string().trim().min(1).max(120),
  timezone: z.string().trim().min(1).max(64).refine(isTimeZone, "not an IANA time zone (e.g. Europe/London)"),
  address_line1: z.string().trim().min(1).max(200),
  city: z.string().trim().min(1).max(100),
  postal_code: z.string().trim().min(1).max(20),
  country: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, "an ISO 3166-1 alpha-2 country code (e.g. GB)")
    .transform((value) => value.toUpperCase()),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, "an ISO 4217 currency code (e.g. GBP)")
    .transform((value) => value.toUpperCase()),
  access_hours: z.string().trim().min(1).max(200),
};

/** How events, audit and the API show a facility. */
export function facilityData(f: Pick<Facility, "code" | "name" | "timezone" | "addressLine1" | "city" | "postalCode" | "country" | "currency" | "accessHours" | "previousCodes">) {
  return {
    facility_code: f.code,
    name: f.name,
    timezone: f.timezone,
    address: { line1: f.addressLine1, city: f.city, postal_code: f.postalCode, country: f.country },
    currency: f.currency,
    access_hours: f.accessHours,
    previous_codes: f.previousCodes,
  };
}
