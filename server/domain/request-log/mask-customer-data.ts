/**
 * Customer details in a logged body, hidden for a reader who may not see every booking
 * the call named (docs/request-log.md#who-sees-what): the `customer` object's values and
 * any `customer_name` / `customer_email` / `customer_phone`, at any depth.
 */

export const HIDDEN = "[hidden]";

const CUSTOMER_FIELD = /^customer_(name|email|phone)$/i;

function mask(value: unknown, depth: number): unknown {
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => mask(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "customer" && item !== null && typeof item === "object") {
      out[key] = Object.fromEntries(Object.keys(item).map((k) => [k, HIDDEN]));
    } else if (CUSTOMER_FIELD.test(key)) out[key] = HIDDEN;
    else out[key] = mask(item, depth + 1);
  }
  return out;
}

/** The body with customer details hidden; a body that is not JSON (or was cut at 16 KB) is hidden whole. */
export function maskCustomerData(body: string | null): string | null {
  if (body === null) return null;
  try {
    return JSON.stringify(mask(JSON.parse(body), 0));
  } catch {
    return HIDDEN;
  }
}
