import { MAX_PAYMENT_WEBHOOK_BYTES } from "../domain/payments/payment-event";

/**
 * How large a request body each route takes (docs/operations.md#request-bodies-and-timeouts).
 * The Node.js server's body gate (node-request-guard.ts) holds every body to its route's
 * limit while it streams in, before Next.js sees it; the routes read theirs with
 * readLimitedBody and the same limit. Pure, so both and the tests share it.
 */

/** the partner API (partner-route.ts) */
export const PARTNER_API_MAX_BODY_BYTES = 32 * 1024;
/** a catalogue import's file (docs/domain.md#catalogue-imports): tens of thousands of units, over the API or from the console */
export const IMPORT_MAX_BODY_BYTES = 8 * 1024 * 1024;
/** the sign-in form (an e-mail, a password and a CSRF token: far below this) and next-auth's other posts (auth-request-guard.ts) */
export const AUTH_FORM_MAX_BODY_BYTES = 16 * 1024;
/** the demo receiver: a webhook delivery, as large as an endpoint may be sent */
export const DEMO_RECEIVER_MAX_BODY_BYTES = 256 * 1024;
/** the console's tRPC calls (a batch of a few small inputs) */
export const TRPC_MAX_BODY_BYTES = 256 * 1024;
/** everything else: a console page's server action (Next.js's own limit for actions is 1 MB) */
export const CONSOLE_MAX_BODY_BYTES = 1024 * 1024;

export { MAX_PAYMENT_WEBHOOK_BYTES };

/** The first path (itself or anything under it) that matches decides. */
const BY_PATH: readonly [path: string, maxBytes: number][] = [
  ["/api/v1/imports", IMPORT_MAX_BODY_BYTES],
  ["/api/v1", PARTNER_API_MAX_BODY_BYTES],
  // the console's import upload (a server action posts to its page)
  ["/catalogue", IMPORT_MAX_BODY_BYTES],
  ["/api/webhooks/payments", MAX_PAYMENT_WEBHOOK_BYTES],
  ["/api/demo-receiver", DEMO_RECEIVER_MAX_BODY_BYTES],
  ["/api/auth", AUTH_FORM_MAX_BODY_BYTES],
  ["/api/trpc", TRPC_MAX_BODY_BYTES],
  // health, metrics and unknown API paths: no more than the partner API's
  ["/api", PARTNER_API_MAX_BODY_BYTES],
];

/** The most bytes of body a request to `pathname` may carry. */
export function bodyLimitFor(pathname: string): number {
  for (const [path, maxBytes] of BY_PATH) if (pathname === path || pathname.startsWith(`${path}/`)) return maxBytes;
  return CONSOLE_MAX_BODY_BYTES;
}

/** The largest limit of any route: what Next.js itself may buffer (next.config.js). */
export const LARGEST_BODY_LIMIT = Math.max(CONSOLE_MAX_BODY_BYTES, ...BY_PATH.map(([, max]) => max));
