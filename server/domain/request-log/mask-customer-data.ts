/**
 * Customer details in a logged body, hidden for a reader who may not see every booking
 * the call named (docs/request-log.md#who-sees-what): the `customer` object's values and
 * any `customer_name` / `customer_email` / `customer_phone`, at any depth.
 */

export const HIDDEN = "[hidden]";

const CUSTOMER_FIELD = /^customer_(name|email|phone)$/i;

/** What an erased customer's details become (docs/domain.md#erasing-a-customer). */
export const ERASED = "[erased]";

function mask(value: unknown, depth: number, placeholder: string): unknown {
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => mask(item, depth + 1, placeholder));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "customer" && item !== null && typeof item === "object") {
      out[key] = Object.fromEntries(Object.keys(item).map((k) => [k, placeholder]));
    } else if (CUSTOMER_FIELD.test(key)) out[key] = placeholder;
    else out[key] = mask(item, depth + 1, placeholder);
  }
  return out;
}

/**
 * The body with customer details replaced by `placeholder` (hidden from a reader, or
 * erased for good); a body that is not JSON (or was cut at 16 KB) is replaced whole.
 */
export function maskCustomerData(body: string | null, placeholder: string = HIDDEN): string | null {
  if (body === null) return null;
  try {
    return JSON.stringify(mask(JSON.parse(body), 0, placeholder));
  } catch {
    return placeholder;
  }
}
