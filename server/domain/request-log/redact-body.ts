/**
 * The one redaction of request and response bodies before they are kept in the request
 * log (docs/request-log.md#what-is-never-kept). Secrets never reach the table:
 *
 * - a JSON field named like a secret (`secret`, `signing_secret`, `password`, `api_key`,
 *   `access_code`, `gate_code`, `token`, `authorization`, `signature`, …) keeps its name
 *   and loses its value, at any depth;
 * - anything that looks like one of our API keys (`hf_live_…`), a signing secret
 *   (`whsec_…`) or a bearer credential is replaced wherever it appears, in any field or in
 *   a body that is not JSON at all.
 *
 * Then the text is capped at REQUEST_LOG_BODY_LIMIT bytes (UTF-8, never splitting a
 * character), and the caller is told whether it was cut.
 */

export const REQUEST_LOG_BODY_LIMIT = 16 * 1024;
export const REDACTED = "[redacted]";

/** Whole field names (any case, `-` or `_`) whose values are secrets. */
const SECRET_FIELD = /^(?:[a-z0-9]+[_-])*(?:secret|password|passphrase|api[_-]?key|access[_-]?code|gate[_-]?code|pin[_-]?code|token|authorization|signature|cvc|cvv|card[_-]?number)$/i;

/** Secret-shaped values, wherever they appear. */
const SECRET_VALUES: readonly RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bhf_(?:live|test)_[A-Za-z0-9]{4,}/g,
  /\bwhsec_[A-Za-z0-9+/=_-]{4,}/g,
  /\bsealed:[A-Za-z0-9+/=:._-]+/g,
];

export interface RedactedBody {
  text: string;
  truncated: boolean;
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

function redactString(value: string): string {
  let out = value;
  for (const pattern of SECRET_VALUES) out = out.replace(pattern, REDACTED);
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactString(value);
  if (depth > 64 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretField(key) && item !== null && item !== undefined && item !== "" ? REDACTED : redactValue(item, depth + 1);
  }
  return out;
}

/** Cuts `text` to at most `limit` UTF-8 bytes at a character boundary. */
export function capUtf8(text: string, limit = REQUEST_LOG_BODY_LIMIT): RedactedBody {
  if (text.length <= limit / 4 || Buffer.byteLength(text, "utf8") <= limit) return { text, truncated: false };
  const bytes = Buffer.from(text, "utf8");
  let end = limit;
  // step back over continuation bytes (10xxxxxx) so no character is split
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString("utf8"), truncated: true };
}

/**
 * A body as it may be kept: secrets redacted, at most 16 KB. JSON stays JSON (compact);
 * anything else is redacted as text. `null` (no body) stays null.
 */
export function redactBody(raw: string | null | undefined, limit = REQUEST_LOG_BODY_LIMIT): RedactedBody | null {
  if (raw === null || raw === undefined || raw === "") return null;
  let text: string;
  try {
    text = JSON.stringify(redactValue(JSON.parse(raw), 0));
  } catch {
    text = redactString(raw);
  }
  return capUtf8(text, limit);
}
