import { Server, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { config } from "../config";
import { correlationIdFrom } from "../observability/correlation";
import { gateBody } from "./body-gate";
import { bodyLimitFor } from "./body-limits";
import { stampClientIp } from "./client-ip";
import { FORBIDDEN_METHODS, guardRequest, refusalBody, refusalHeaders } from "./request-guard";

/**
 * Answers TRACE, TRACK and CONNECT on the Node.js server itself, with a problem+json
 * 405: Next.js turns every request into a WHATWG Request, whose constructor throws on
 * these methods, so no proxy or route could ever answer them (issue #10: a 500 on any
 * route). Installed by instrumentation.ts; true when it answered.
 */
export function answerForbiddenMethod(req: IncomingMessage, res: ServerResponse): boolean {
  const method = (req.method ?? "").toUpperCase();
  if (!FORBIDDEN_METHODS.has(method)) return false;
  const header = req.headers["x-correlation-id"];
  const correlationId = correlationIdFrom(Array.isArray(header) ? header[0] : header);
  let pathname = "/";
  try {
    pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    // an unparseable target: still a 405 for the method
  }
  const refusal = guardRequest(method, pathname, "") ?? { code: "METHOD_NOT_ALLOWED" as const, detail: `${method} is not supported.` };
  res.writeHead(405, refusalHeaders(refusal, correlationId));
  res.end(JSON.stringify(refusalBody(refusal, correlationId)));
  return true;
}

/**
 * CONNECT never reaches a request handler: Node.js emits "connect" with the raw socket
 * (and, with no listener, drops the connection). Answered here with the same 405.
 */
export function answerConnect(req: IncomingMessage, socket: Duplex): void {
  const correlationId = correlationIdFrom(null);
  const refusal = { code: "METHOD_NOT_ALLOWED" as const, detail: "CONNECT is not supported.", allow: ["GET", "HEAD", "POST", "OPTIONS"] };
  const body = JSON.stringify(refusalBody(refusal, correlationId));
  const headers = { ...refusalHeaders(refusal, correlationId), "content-length": String(Buffer.byteLength(body)), connection: "close" };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n");
  socket.end(`HTTP/1.1 405 Method Not Allowed\r\n${head}\r\n\r\n${body}`);
}

/** The path of a raw request's target ("/" when it cannot be read). */
function pathnameOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return "/";
  }
}

/**
 * Puts the guard in front of every Node.js HTTP server of this process, the one
 * `next start` creates included: patched on the prototype, because instrumentation.ts
 * runs before (or without a handle on) that server. It also stamps every request with the
 * client's address as decided by server/http/client-ip.ts, and holds every body to its
 * route's limit and the body timeout before Next.js sees the request (./body-gate.ts).
 */
export function installNodeRequestGuard(): void {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function guardedEmit(this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as IncomingMessage;
      const res = args[1] as ServerResponse;
      if (answerForbiddenMethod(req, res)) return true;
      const { edge } = config();
      stampClientIp(req, edge.trustedProxyHops);
      const options = { maxBytes: bodyLimitFor(pathnameOf(req)), timeoutMs: edge.bodyTimeoutMs, https: edge.behindTlsProxy };
      gateBody(req, res, options, () => {
        (emit as (this: unknown, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
      });
      return true;
    }
    if (event === "connect" && this.listenerCount("connect") === 0) {
      answerConnect(args[0] as IncomingMessage, args[1] as Duplex);
      return true;
    }
    return (emit as (this: unknown, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
