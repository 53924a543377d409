import type { PageExamples } from "./api-reference";

/** The demo data's partner key (README.md "Demo credentials"), offered only on a demo install. */
const DEMO_KEY = "hf_demo_marketplace";

/**
 * What the reference page's examples are made from, for the request that renders the
 * page (app/api-docs/page.tsx) — and for the test that runs them (test/contract/examples.int.test.ts):
 * the origin the page was asked for, today's date, a fresh Idempotency-Key per POST, and
 * the demo key on a demo install.
 */
export function pageExamples(requestHeaders: Headers, demo: boolean, now = new Date()): PageExamples {
  const host = requestHeaders.get("x-forwarded-host") ?? requestHeaders.get("host") ?? "localhost:3000";
  const protocol = requestHeaders.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return {
    origin: `${protocol}://${host}`,
    today: now.toISOString().slice(0, 10),
    newIdempotencyKey: () => globalThis.crypto.randomUUID(),
    demoKey: demo ? DEMO_KEY : null,
  };
}
