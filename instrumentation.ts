import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Next.js calls register() once when the server starts. On the Node.js server it puts
 * one guard in front of Next.js itself: TRACE, TRACK and CONNECT are answered 405
 * there (CONNECT as the "connect" event Node.js raises for it), because Next.js cannot build a request object for them (see
 * server/http/node-request-guard.ts); everything else goes on to proxy.ts as before.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is Next.js's own marker of the runtime loading this file, not Holdfast
  // configuration (and server/config is not for the edge runtime).
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const http = await import("node:http");
  const { answerConnect, answerForbiddenMethod } = await import("./server/http/node-request-guard");
  const emit = http.Server.prototype.emit;
  // Patched on the prototype: the server next start has created (or will create) uses it.
  http.Server.prototype.emit = function guardedEmit(this: InstanceType<typeof http.Server>, event: string | symbol, ...args: unknown[]) {
    if (event === "request" && answerForbiddenMethod(args[0] as IncomingMessage, args[1] as ServerResponse)) {
      return true;
    }
    if (event === "connect" && this.listenerCount("connect") === 0) {
      answerConnect(args[0] as IncomingMessage, args[1] as Duplex);
      return true;
    }
    return (emit as (this: unknown, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
