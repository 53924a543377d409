import type { IncomingMessage, ServerResponse } from "node:http";
import type { ErrorCode } from "../domain/shared/errors";
import { correlationIdFrom } from "../observability/correlation";
import { refusalBody, refusalHeaders, type Refusal } from "./request-guard";
import { newNonce, securityHeaders } from "./security-headers";

/**
 * The body gate on the Node.js server (installed by node-request-guard.ts, before Next.js
 * sees a request; docs/operations.md#request-bodies-and-timeouts).
 *
 * Next.js reads the whole body of every request its proxy runs for before anything
 * answers (it clones it for proxy.ts), so a limit checked in the route comes too late:
 * a 50 MB upload would be read in full, and a body shorter than its Content-Length would
 * never be answered. Here the body is held as it streams in, never more than the route's
 * limit (server/http/body-limits.ts):
 *
 * - a Content-Length over the limit is refused 413 at once, without reading the body;
 * - a body that passes the limit while streaming is refused 413 the moment it does;
 * - a body not complete within `timeoutMs` of the headers (it stalls, or is shorter than
 *   its Content-Length) is refused 408;
 *
 * each with problem+json and `Connection: close`, so the rest of the upload is not read.
 * A complete body within the limit is handed to Next.js unchanged, as if it had just
 * arrived.
 */

export interface BodyGateOptions {
  /** the most bytes of body this request may carry */
  maxBytes: number;
  /** how long the body may take to arrive in full after the headers */
  timeoutMs: number;
  /** a refusal carries HSTS (the request came over https, or HOLDFAST_BEHIND_TLS_PROXY) */
  https: boolean;
}

type Push = (chunk: unknown, encoding?: BufferEncoding) => boolean;

/** Whether the request carries a body at all (HTTP/1.1: a non-zero Content-Length, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers["transfer-encoding"] !== undefined) return true;
  const length = req.headers["content-length"];
  return length !== undefined && Number(length) > 0;
}

function refuse(req: IncomingMessage, res: ServerResponse, https: boolean, code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): void {
  if (res.headersSent || res.destroyed) {
    req.socket?.destroy();
    return;
  }
  const header = req.headers["x-correlation-id"];
  const correlationId = correlationIdFrom(Array.isArray(header) ? header[0] : header);
  const refusal: Refusal = { code, detail };
  const pathname = (req.url ?? "/").split("?")[0] ?? "/";
  const security = securityHeaders({ pathname, https, development: false, nonce: newNonce() });
  const body = JSON.stringify({ ...refusalBody(refusal, correlationId), ...extra });
  res.shouldKeepAlive = false;
  res.writeHead(refusalBody(refusal, correlationId).status as number, {
    ...security,
    ...refusalHeaders(refusal, correlationId),
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  });
  res.end(body);
}

/**
 * Holds the request's body to `maxBytes` and `timeoutMs`; calls `forward` with the body
 * complete (at once for a request without one), or answers the refusal itself and never
 * calls it.
 */
export function gateBody(req: IncomingMessage, res: ServerResponse, options: BodyGateOptions, forward: () => void): void {
  if (!hasBody(req)) return forward();
  const { maxBytes, timeoutMs, https } = options;
  const tooLarge = () =>
    refuse(req, res, https, "PAYLOAD_TOO_LARGE", `Request bodies here are limited to ${maxBytes} bytes.`, { max_bytes: maxBytes });
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) return tooLarge();

  // The HTTP parser hands each piece of body to req.push (and null at the end): taken
  // here until the body is complete, then given to the stream in one go.
  const push = req.push as Push;
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = () => {
    settled = true;
    clearTimeout(timer);
  };
  const timer = setTimeout(() => {
    if (settled) return;
    settle();
    refuse(req, res, https, "REQUEST_TIMEOUT", `The request's body did not arrive in full within ${timeoutMs} ms.`);
  }, timeoutMs);
  res.once("close", settle);
  (req as unknown as { push: Push }).push = (chunk, encoding) => {
    if (settled) return true; // refused: the rest is dropped until the connection closes
    if (chunk === null) {
      settle();
      delete (req as unknown as { push?: Push }).push;
      for (const piece of chunks) push.call(req, piece);
      push.call(req, null);
      forward();
      return false;
    }
    const piece = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, encoding);
    size += piece.byteLength;
    if (size > maxBytes) {
      settle();
      chunks.length = 0;
      tooLarge();
      return true;
    }
    chunks.push(piece);
    return true;
  };
}
