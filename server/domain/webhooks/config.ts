import { z } from "zod";

/**
 * Outgoing webhook settings, read from the environment once per process (the worker's
 * dispatcher and the app's endpoint services). A bad value fails at start with one
 * sentence, like server/env.ts.
 *
 * | variable                                   | default       | meaning |
 * |--------------------------------------------|---------------|---------|
 * | HOLDFAST_WEBHOOK_TIMEOUT_MS                | 15000         | one attempt's whole budget: connect, headers, body |
 * | HOLDFAST_WEBHOOK_CONCURRENCY               | 128           | requests in flight per worker process (each endpoint also has max_concurrency) |
 * | HOLDFAST_WEBHOOK_LEASE_MS                  | timeout + 30 s| how long a claimed delivery is reserved for the worker that took it; after a crash it is due again then |
 * | HOLDFAST_WEBHOOK_FANOUT_POLL_MS            | 20            | how often an idle dispatcher looks for newly committed events |
 * | HOLDFAST_WEBHOOK_CLAIM_POLL_MS             | 200           | how often an idle dispatcher looks for due retries (new deliveries wake it at once) |
 * | HOLDFAST_ENDPOINT_DISABLE_AFTER_HOURS      | 72            | an endpoint whose every attempt failed over this span is disabled (reason recorded) |
 * | HOLDFAST_WEBHOOK_ALLOWED_HOSTS             | (none)        | comma-separated host names or IPs exempt from the production URL rules (https, no private addresses) |
 * | HOLDFAST_WEBHOOK_DISPATCH                  | 1             | 0 = this worker process runs no dispatcher (jobs only) |
 * | HOLDFAST_WEBHOOK_DB_POOL_MAX               | 8             | the dispatcher's own database connections (dispatch-db.ts) |
 *
 * Production URL rules apply unless HOLDFAST_DEMO=1: endpoint URLs must be https and may
 * not name — or resolve to — loopback, private, link-local or otherwise internal
 * addresses (SSRF). The allow-list exempts named hosts (e.g. a partner's VPN address).
 */

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const WebhookEnvSchema = z.object({
  HOLDFAST_WEBHOOK_TIMEOUT_MS: positiveInt(15_000, 120_000),
  HOLDFAST_WEBHOOK_CONCURRENCY: positiveInt(128, 4096),
  HOLDFAST_WEBHOOK_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
  HOLDFAST_WEBHOOK_FANOUT_POLL_MS: positiveInt(20, 60_000),
  HOLDFAST_WEBHOOK_CLAIM_POLL_MS: positiveInt(200, 60_000),
  HOLDFAST_ENDPOINT_DISABLE_AFTER_HOURS: z.coerce.number().positive().max(24 * 365).default(72),
  HOLDFAST_WEBHOOK_ALLOWED_HOSTS: z.string().default(""),
  HOLDFAST_WEBHOOK_DISPATCH: z.enum(["0", "1", "true", "false"]).default("1"),
  HOLDFAST_DEMO: z.string().default("0"),
});

export interface WebhookConfig {
  timeoutMs: number;
  concurrency: number;
  leaseMs: number;
  fanoutPollMs: number;
  claimPollMs: number;
  disableAfterMs: number;
  allowedHosts: ReadonlySet<string>;
  dispatch: boolean;
  /** production URL rules (https, public addresses) apply */
  strictUrls: boolean;
}

export function parseWebhookConfig(source: Record<string, string | undefined> = process.env): WebhookConfig {
  const result = WebhookEnvSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`Configuration error: ${issue.path.join(".")} ${issue.message}.`);
  }
  const env = result.data;
  return {
    timeoutMs: env.HOLDFAST_WEBHOOK_TIMEOUT_MS,
    concurrency: env.HOLDFAST_WEBHOOK_CONCURRENCY,
    leaseMs: env.HOLDFAST_WEBHOOK_LEASE_MS ?? env.HOLDFAST_WEBHOOK_TIMEOUT_MS + 30_000,
    fanoutPollMs: env.HOLDFAST_WEBHOOK_FANOUT_POLL_MS,
    claimPollMs: env.HOLDFAST_WEBHOOK_CLAIM_POLL_MS,
    disableAfterMs: env.HOLDFAST_ENDPOINT_DISABLE_AFTER_HOURS * 3_600_000,
    allowedHosts: new Set(
      env.HOLDFAST_WEBHOOK_ALLOWED_HOSTS.split(",")
        .map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, ""))
        .filter(Boolean),
    ),
    dispatch: env.HOLDFAST_WEBHOOK_DISPATCH === "1" || env.HOLDFAST_WEBHOOK_DISPATCH === "true",
    strictUrls: !["1", "true"].includes(env.HOLDFAST_DEMO),
  };
}

let cached: WebhookConfig | undefined;

/** This process's webhook settings (parsed on first use). */
export function webhookConfig(): WebhookConfig {
  cached ??= parseWebhookConfig();
  return cached;
}
