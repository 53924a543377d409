import { z } from "zod";
import { DomainError } from "@/server/domain/shared/errors";

/**
 * What the catalogue's records share (docs/domain.md#catalogue): the shape of a business
 * code, and the refusal when one is taken — by a record's current code or by one it had
 * before a rename (old codes stay findable, so they are never given to another record).
 */
export const CatalogueCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "letters, digits, - and _ only, starting with a letter or digit");

export function codeTaken(what: "Facility" | "Unit type" | "Unit", code: string, field: string, heldBy: string): DomainError {
  const message = `${what} code ${code} is taken${heldBy === code ? "" : ` (it was a code of ${heldBy})`}.`;
  return new DomainError("CONFLICT", message, { code, held_by: heldBy, field }, [{ path: field, message }]);
}

/** An IANA time zone this runtime knows. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** YYYY-MM-DD at the facility. */
export function dayAt(timezone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(at);
}
