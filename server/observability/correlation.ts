import crypto from "node:crypto";

export const CORRELATION_HEADER = "x-correlation-id";

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Correlation-Id when it is sane, otherwise a new one. */
export function correlationIdFrom(headerValue: string | null | undefined): string {
  const value = headerValue?.trim();
  if (value && VALID.test(value)) return value;
  return `cor_${crypto.randomUUID().replace(/-/g, "")}`;
}
