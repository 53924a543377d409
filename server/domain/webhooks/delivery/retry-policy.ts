/**
 * What an attempt's outcome means for the delivery and its endpoint
 * (docs/webhooks.md#responding-retries-and-back-off), as pure functions: the schedule, the
 * failure classes, Retry-After and 410.
 */

export type FailureClass = "TIMEOUT" | "CONNECT" | "TLS" | "HTTP_4XX" | "HTTP_5XX";

/**
 * Delays before attempts 1…8: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
 * After the 8th attempt fails the delivery is DEAD (dead-lettered). ±10 % jitter each.
 */
export const RETRY_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;
const JITTER = 0.1;
/** a Retry-After beyond this is read as this: a consumer cannot park its deliveries for days */
export const RETRY_AFTER_CAP_MS = 24 * 3_600_000;
/** …and pauses its whole endpoint for at most this long */
export const THROTTLE_CAP_MS = 3_600_000;

/**
 * The delay before the attempt after attempt `attemptNumber` (1-based) failed, with
 * jitter, or null when that was the last one. `random` is in [0, 1).
 */
export function retryDelayMs(attemptNumber: number, random: () => number = Math.random): number | null {
  if (attemptNumber >= MAX_ATTEMPTS) return null;
  const base = RETRY_SCHEDULE_MS[attemptNumber]!;
  return Math.round(base * (1 + JITTER * (2 * random() - 1)));
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; in ms from `now`, or
 * null when absent or unreadable. Capped at RETRY_AFTER_CAP_MS.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), RETRY_AFTER_CAP_MS);
}

/** Only 429 and 503 are throttling answers whose Retry-After we honour. */
export function honoursRetryAfter(status: number | null): boolean {
  return status === 429 || status === 503;
}

/**
 * 2xx is success; anything else is a failure. 3xx counts as HTTP_4XX: we never follow
 * redirects (the spec asks consumers to update the URL instead), and a redirect is the
 * consumer's configuration to fix, like a 4xx — the five failure classes
 * (docs/webhooks.md#responding-retries-and-back-off) have no 3xx.
 */
export function classifyStatus(status: number): FailureClass | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 500) return "HTTP_5XX";
  return "HTTP_4XX";
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT", "ABORT_ERR", "UND_ERR_ABORTED"]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$)/;

function codesOf(error: unknown, seen = new Set<unknown>()): string[] {
  if (!error || typeof error !== "object" || seen.has(error)) return [];
  seen.add(error);
  const e = error as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  const out: string[] = [];
  if (typeof e.code === "string") out.push(e.code);
  if (e.name === "AbortError" || e.name === "TimeoutError") out.push("ABORT_ERR");
  out.push(...codesOf(e.cause, seen));
  if (Array.isArray(e.errors)) for (const inner of e.errors) out.push(...codesOf(inner, seen));
  return out;
}

/**
 * A request that got no HTTP answer, classified. Our own timeout (an abort) and
 * undici's header/body timeouts are TIMEOUT; certificate and handshake errors are TLS;
 * everything else that kept us from an answer (refused, reset, DNS, a connect timeout,
 * an address our URL rules refuse) is CONNECT.
 */
export function classifyError(error: unknown): FailureClass {
  const codes = codesOf(error);
  if (codes.some((c) => TLS_CODE.test(c))) return "TLS";
  if (codes.includes("UND_ERR_CONNECT_TIMEOUT")) return "CONNECT";
  if (codes.some((c) => TIMEOUT_CODES.has(c))) return "TIMEOUT";
  return "CONNECT";
}

/** One line for the attempt row: the error's message and code, never a stack. */
export function describeError(error: unknown): string {
  const codes = codesOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const text = codes.length && !message.includes(codes[0]!) ? `${message} (${codes[0]})` : message;
  return text.slice(0, 500);
}
