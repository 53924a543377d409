import { CLIENT_IP_HEADER } from "../http/client-ip";
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
 * The client address is the one the Node.js server stamped on the request
 * (server/http/client-ip.ts: the socket's peer, or X-Forwarded-For through the configured
 * number of trusted proxies). X-Forwarded-For and X-Real-IP as sent are never read here:
 * anyone can write them. Anything that does not look like an address is dropped.
 */
export function requestMetaFrom(headers: HeaderSource): RequestMeta {
  const candidate = header(headers, CLIENT_IP_HEADER)?.trim();
  return {
    ip: candidate && IP.test(candidate) ? candidate : null,
    userAgent: header(headers, "user-agent")?.slice(0, 512) ?? null,
    correlationId: correlationIdFrom(header(headers, CORRELATION_HEADER)),
  };
}
