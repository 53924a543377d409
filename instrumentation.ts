/**
 * Next.js calls register() once when the server starts. On the Node.js server it puts
 * one guard in front of Next.js itself: TRACE, TRACK and CONNECT are answered 405
 * there (CONNECT as the "connect" event Node.js raises for it), because Next.js cannot
 * build a request object for them (see server/http/node-request-guard.ts); everything
 * else goes on to proxy.ts as before.
 *
 * The import sits inside the NEXT_RUNTIME test, the form Next.js documents, so the
 * edge build leaves node:http out.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is Next.js's own marker of the runtime loading this file, not Holdfast
  // configuration (and server/config is not for the edge runtime).
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installNodeRequestGuard } = await import("./server/http/node-request-guard");
    installNodeRequestGuard();
  }
}
