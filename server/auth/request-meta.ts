import { CORRELATION_HEADER, correlationIdFrom } from "../observability/correlation";

/** Where a request came from, for the actor and the audit trail. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(source: HeaderSource, name: string): string | undefined {
  if (typeof (source as Headers).get === "function") return (source as Headers).get(name) ?? undefined;
  const value = (source as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

const IP = /^[0-9a-fA-F:.]{2,45}$/;

/**
 * The client address is the first X-Forwarded-For hop (the reverse proxy in front of
 * the app appends to it), else X-Real-IP; anything that does not look like an address
 * is dropped rather than stored.
 */
export function requestMetaFrom(headers: HeaderSource): RequestMeta {
  const forwarded = header(headers, "x-forwarded-for")?.split(",")[0]?.trim();
  const candidate = forwarded || header(headers, "x-real-ip")?.trim();
  return {
    ip: candidate && IP.test(candidate) ? candidate : null,
    userAgent: header(headers, "user-agent")?.slice(0, 512) ?? null,
    correlationId: correlationIdFrom(header(headers, CORRELATION_HEADER)),
  };
}
