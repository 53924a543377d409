/**
 * X-Correlation-Id (docs/partner-api.md#correlation-ids): accepted when sane, generated
 * otherwise, returned on every response and carried on every event, audit entry, log line
 * and webhook attempt.
 *
 * proxy.ts applies these rules to every request and forwards the result as a request
 * header, so route handlers and server components read an already-sanitised value.
 * No Node-only imports here: the proxy bundle imports this file too
 * (`crypto.randomUUID` is global in Node 20 and every other runtime Next.js has).
 */

export const CORRELATION_HEADER = "x-correlation-id";

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isValidCorrelationId(value: string): boolean {
  return VALID.test(value);
}

export function newCorrelationId(): string {
  return `cor_${globalThis.crypto.randomUUID().replace(/-/g, "")}`;
}

/** The caller's X-Correlation-Id when it is sane, otherwise a new one. */
export function correlationIdFrom(headerValue: string | null | undefined): string {
  const value = headerValue?.trim();
  if (value && VALID.test(value)) return value;
  return newCorrelationId();
}

/** Anything with `get(name)`: Headers, ReadonlyHeaders from next/headers. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * The correlation id of a request, for route handlers:
 * `const correlationId = correlationIdOf(request)` (or of `request.headers`).
 * Behind the proxy this is the value it forwarded; without it (tests), the same rules.
 */
export function correlationIdOf(source: Request | HeaderReader): string {
  const headers = source instanceof Request ? source.headers : source;
  return correlationIdFrom(headers.get(CORRELATION_HEADER));
}
