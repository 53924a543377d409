import { z } from "zod";

/**
 * Holdfast's configuration: every environment variable the web app, the worker, the
 * scripts and the seed read is declared, typed and defaulted here, once, and nowhere else
 * reads `process.env` (ESLint enforces it: eslint.config.mjs). The variables, their
 * defaults and meanings are listed in docs/operations.md#configuration; keep the two in
 * step.
 *
 * - `config()` is this process's settings: parsed from the environment on first use
 *   (lazily, so `next build` needs no database and no secrets) and cached. A bad value
 *   throws a ConfigError whose one sentence names the variable.
 * - Launchers pass settled values in with `configure()` (the database they resolved, the
 *   demo secrets they loaded) instead of writing `process.env`.
 * - `databaseConfig()` alone is read afresh whenever a pool is opened: a process is
 *   pointed at its database after it starts (the launchers' embedded server, the test
 *   harness's per-file databases, the seed's target), and its pools follow.
 * - `logConfig()` parses the logger's three variables on their own: the logger is made
 *   when it is imported, and a bad webhook setting must not break every import.
 * - Secrets are optional to parse and required where they are used (`requireSetting`);
 *   the launchers require all of them at start (`parseConfig(…, { require: REQUIRED_TO_SERVE })`).
 */

/** The public demo signing secret (docs/operations.md#demo-mode-and-demo-data); refused outside demo mode. */
export const DEMO_PAYMENT_WEBHOOK_SECRET = "whsec_aG9sZGZhc3QtZGVtby1wYXltZW50LXNlY3JldA==";
export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_WORKER_METRICS_PORT = 9464;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

/** `1`/`true` or `0`/`false`: the one way every on/off variable is spelled. */
const flag = (fallback: "0" | "1") =>
  z
    .enum(["0", "1", "true", "false"], { error: "must be 0, 1, true or false" })
    .default(fallback)
    .transform((v) => v === "1" || v === "true");

/** HOLDFAST_WORKER_METRICS_PORT: a port (0 = any free one), `off`, or empty for the default. */
const metricsPort = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const raw = value?.trim();
    if (raw === undefined || raw === "") return DEFAULT_WORKER_METRICS_PORT;
    if (raw.toLowerCase() === "off") return null;
    if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) {
      ctx.addIssue({ code: "custom", message: `HOLDFAST_WORKER_METRICS_PORT must be a port number (0–65535) or "off"; got "${value}"` });
      return z.NEVER;
    }
    return Number(raw);
  });

/** Every variable, once. `.describe()` is its one-line meaning (docs/operations.md#configuration has the same). */
export const ConfigSchema = z.object({
  // Core
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional()
    .describe("PostgreSQL to use instead of the embedded one"),
  DATABASE_POOL_MAX: wholeNumber(1, 200).default(10).describe("Prisma's connections per process"),
  HOLDFAST_DEMO: flag("0").describe("demo mode: demo data and demo secrets allowed, webhook URL rules relaxed"),
  NEXTAUTH_SECRET: z
    .string()
    .min(32, "NEXTAUTH_SECRET must be at least 32 characters")
    .optional()
    .describe("signs console sessions"),
  NEXTAUTH_URL: z.url("NEXTAUTH_URL must be a URL").optional().describe("the console's public URL"),
  HOLDFAST_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "HOLDFAST_ENCRYPTION_KEY must be 32 bytes in base64")
    .optional()
    .describe("32 bytes in base64: encrypts webhook secrets, access codes and sealed responses at rest"),
  PAYMENT_WEBHOOK_SECRET: z
    .string()
    .startsWith("whsec_", "PAYMENT_WEBHOOK_SECRET must be a whsec_ secret")
    .optional()
    .describe("the payment provider's signing secret"),
  PORT: wholeNumber(0, 65_535).default(3000).describe("the web server's port"),
  HOLDFAST_PUBLIC_URL: z.string().optional().describe("the app's address as the worker reaches it (the demo endpoints)"),
  NODE_ENV: z.string().optional().describe("set by Next.js and vitest; chooses LOG_LEVEL's default, and development allows 'unsafe-eval' in the CSP"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .optional()
    .describe("pino level (default info; silent when NODE_ENV=test)"),
  HOLDFAST_SERVICE: z.string().default("holdfast").describe("the `service` field on every log line"),
  HOLDFAST_SUPERVISOR_STATE: z
    .string()
    .optional()
    .describe("set by npm start for its children: the supervisor's state file, which readiness reads (a crash loop fails it)"),
  HOLDFAST_METRICS_TOKEN: z
    .string()
    .min(16, "HOLDFAST_METRICS_TOKEN must be at least 16 characters")
    .optional()
    .describe("bearer token Prometheus sends to /api/metrics; without it /api/metrics is refused outside demo mode"),
  HOLDFAST_BEHIND_TLS_PROXY: flag("0").describe("1 = a proxy in front terminates TLS: send HSTS on every response"),
  HOLDFAST_TRUSTED_PROXY_HOPS: wholeNumber(0, 10)
    .default(0)
    .describe("how many proxies in front append to X-Forwarded-For (0 = trust none: the socket's address is the client)"),
  HOLDFAST_REQUEST_BODY_TIMEOUT_MS: wholeNumber(100, 600_000)
    .default(30_000)
    .describe("how long a request's body may take to arrive in full after its headers; then 408 and the connection is closed"),
  RATE_LIMIT_READ_PER_MINUTE: wholeNumber(1, 10_000_000).default(600).describe("default per-key limit of read requests"),
  RATE_LIMIT_WRITE_PER_MINUTE: wholeNumber(1, 10_000_000).default(120).describe("default per-key limit of write requests"),
  RATE_LIMIT_BULK_PER_MINUTE: wholeNumber(1, 10_000_000).default(10).describe("per-key limit of bulk requests (POST /api/v1/imports)"),
  HOLDFAST_IMPORT_BATCH_ROWS: wholeNumber(1, 5_000)
    .default(500)
    .describe("rows of a catalogue import applied per transaction (docs/domain.md#catalogue-imports)"),
  HOLDFAST_IMPORT_BATCH_PAUSE_MS: wholeNumber(0, 60_000)
    .default(25)
    .describe("least pause between an import's batches, leaving the database to live bookings (docs/domain.md#catalogue-imports)"),
  HOLDFAST_IMPORT_YIELD: z.coerce
    .number()
    .min(0)
    .max(10)
    .default(0.5)
    .describe("after each batch an import waits this many times the batch's own duration, so it backs off when the database is busy (docs/domain.md#catalogue-imports)"),
  HOLDFAST_API_LOG_RETENTION_DAYS: wholeNumber(1, 3650).default(30).describe("days the partner-API request log (with bodies) is kept"),
  HOLDFAST_RETAIN_DELIVERIES_DAYS: wholeNumber(7, 3650)
    .default(90)
    .describe("days finished webhook deliveries and their attempts (partner and operational) are kept (docs/operations.md#data-retention)"),
  HOLDFAST_RETAIN_EVENTS_DAYS: wholeNumber(30, 36500)
    .default(400)
    .describe("days events are kept once delivered and fanned out; a live booking's events are kept while it lives"),
  HOLDFAST_RETAIN_RECORDS_DAYS: wholeNumber(1, 3650)
    .default(30)
    .describe("days snapshots, test pings, finished replay items and inbound webhook bodies are kept"),
  HOLDFAST_RETAIN_HOURLY_KPIS_DAYS: wholeNumber(7, 3650).default(90).describe("days hourly KPI buckets are kept (daily ones are kept for ever)"),
  HOLDFAST_ACCESS_REVEALS_PER_HOUR: wholeNumber(1, 10_000)
    .default(20)
    .describe("gate-code reveals one console user or partner may make per hour (docs/domain.md#gate-codes)"),
  HOLDFAST_MOVE_OUT_BLOCK_HOURS: wholeNumber(0, 24 * 90)
    .default(24)
    .describe("how long a unit is blocked for cleaning after a move-out; 0 = no block (docs/domain.md#move-out)"),
  HOLDFAST_API_LOG: flag("1").describe("0 = write no request log at all (benchmarks only: support and the API KPIs lose the calls)"),

  // Worker
  HOLDFAST_WORKER_CONCURRENCY: wholeNumber(1, 512).default(32).describe("graphile-worker jobs at once per worker process"),
  HOLDFAST_TICK_INTERVAL_MS: wholeNumber(1, 3_600_000).default(5000).describe("how often the inventory tick runs"),
  HOLDFAST_EXPIRY_LANES: wholeNumber(1, 64)
    .default(2)
    .describe("expiry transactions the inventory tick runs side by side, each over its own pools (about one per database core)"),
  HOLDFAST_WORKER_METRICS_PORT: metricsPort.describe("the worker's /metrics port; 0 = any free port, off = none"),

  // Webhook delivery
  HOLDFAST_WEBHOOK_TIMEOUT_MS: wholeNumber(1, 120_000).default(15_000).describe("one attempt's whole budget: connect, headers, body"),
  HOLDFAST_WEBHOOK_CONCURRENCY: wholeNumber(1, 4096).default(128).describe("requests in flight per worker process"),
  HOLDFAST_WEBHOOK_LEASE_MS: wholeNumber(1000, 3_600_000).optional().describe("how long a claimed delivery is reserved (default timeout + 30 s)"),
  HOLDFAST_WEBHOOK_FANOUT_POLL_MS: wholeNumber(1, 60_000).default(20).describe("how often an idle dispatcher looks for new events"),
  HOLDFAST_WEBHOOK_CLAIM_POLL_MS: wholeNumber(1, 60_000).default(200).describe("how often an idle dispatcher looks for due retries"),
  HOLDFAST_WEBHOOK_DB_POOL_MAX: wholeNumber(1, 200).default(8).describe("connections of the async-commit pool, per process: the webhook dispatcher's statements, the request log's rows"),
  HOLDFAST_ENDPOINT_DISABLE_AFTER_HOURS: z.coerce
    .number({ error: "must be a number of hours above 0, at most 8760" })
    .positive({ error: "must be a number of hours above 0, at most 8760" })
    .max(24 * 365, { error: "must be a number of hours above 0, at most 8760" })
    .default(72)
    .describe("an endpoint whose every attempt failed over this span is disabled"),
  HOLDFAST_WEBHOOK_ALLOWED_HOSTS: z.string().default("").describe("comma-separated hosts exempt from the production URL rules"),
  HOLDFAST_WEBHOOK_DISPATCH: flag("1").describe("0 = this worker runs jobs only, no dispatcher"),

  // Reconciliation
  HOLDFAST_RECONCILE_CRON: z
    .string()
    .trim()
    .regex(/^(\S+\s+){4}\S+$/, "must be a 5-field cron expression")
    .default("*/15 * * * *")
    .describe("when scheduled runs happen (5-field cron, UTC)"),
  HOLDFAST_RECONCILE_COUNTER_TOLERANCE: wholeNumber(0, 100_000).default(1).describe("the largest correction a scheduled run applies itself"),
  HOLDFAST_RECONCILE_AUTO_CORRECT: flag("1").describe("0 = scheduled runs only report"),
  HOLDFAST_RECONCILE_HOLD_GRACE_SECONDS: wholeNumber(0, 86_400).default(300).describe("a hold this little past expiry is the expiry job's"),
  HOLDFAST_RECONCILE_ACK_GRACE_SECONDS: wholeNumber(0, 86_400).default(300).describe("an endpoint this little behind is in flight"),
  HOLDFAST_RECONCILE_POOL_BATCH: wholeNumber(1, 50_000).default(500).describe("pools per batch of the counter checks"),

  // Alerts and notifications (docs/operations.md#incident-notifications)
  HOLDFAST_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "HOLDFAST_SMTP_URL must be an smtp:// or smtps:// URL")
    .optional()
    .describe("where incident e-mail is sent (smtp://user:pass@host:587); demo mode keeps mail in the catcher without it"),
  HOLDFAST_MAIL_FROM: z.string().default("Holdfast <alerts@holdfast.invalid>").describe("the From of incident e-mail"),
  HOLDFAST_ALERT_SLACK_WEBHOOK_URL: z.url("HOLDFAST_ALERT_SLACK_WEBHOOK_URL must be a URL").optional().describe("a Slack-compatible incoming webhook told of incident changes"),
  HOLDFAST_ALERT_SLACK_MIN_SEVERITY: z.enum(["LOW", "MEDIUM", "HIGH", "CRITICAL"]).default("MEDIUM").describe("the lowest severity sent to the Slack webhook"),
  HOLDFAST_ALERT_NOTIFY_INTERVAL_SECONDS: wholeNumber(0, 86_400).default(300).describe("the least time between two notifications to one recipient (changes in between are grouped)"),

  // Embedded database and tooling
  HOLDFAST_PG_PORT: wholeNumber(1, 65_535).default(DEFAULT_EMBEDDED_PORT).describe("the embedded server's port"),
  HOLDFAST_DATA_DIR: z.string().default(".data/pg").describe("the embedded server's data folder"),
  HOLDFAST_DEBUG: z.string().optional().describe("any value: print stacks of unexpected start-up errors"),
});

export type ConfigKey = keyof typeof ConfigSchema.shape;
export type ConfigSource = Readonly<Record<string, string | undefined>>;
type Settings = z.infer<typeof ConfigSchema>;

/** The secrets a serving process (web app, worker) needs; the launchers refuse to start without them. */
export const REQUIRED_TO_SERVE = ["DATABASE_URL", "NEXTAUTH_SECRET", "HOLDFAST_ENCRYPTION_KEY", "PAYMENT_WEBHOOK_SECRET"] as const;
export type RequiredKey = (typeof REQUIRED_TO_SERVE)[number];

export interface DatabaseConfig {
  /** DATABASE_URL, or undefined: the launchers then start the embedded server */
  url: string | undefined;
  poolMax: number;
  /** the async-commit pool (server/domain/shared/async-commit-db.ts): the dispatcher's statements and the request log's rows */
  dispatchPoolMax: number;
}

export interface WebhookConfig {
  timeoutMs: number;
  concurrency: number;
  leaseMs: number;
  fanoutPollMs: number;
  claimPollMs: number;
  disableAfterMs: number;
  allowedHosts: ReadonlySet<string>;
  dispatch: boolean;
  /** production URL rules (https only) apply: not demo mode */
  strictUrls: boolean;
  /** demo mode: the app's own address, whose /api/demo-receiver/ is the one internal destination allowed; null in production */
  demoReceiver: string | null;
}

export interface ReconcileConfig {
  cron: string;
  counterTolerance: number;
  autoCorrect: boolean;
  holdGraceSeconds: number;
  ackGraceSeconds: number;
  poolBatch: number;
}

export interface Config {
  /** as parsed from the source; this process's pools read databaseConfig(), which follows a re-pointed DATABASE_URL */
  database: DatabaseConfig;
  /** HOLDFAST_DEMO: the one demo switch */
  demo: boolean;
  /** each undefined when unset; use requireSetting() where one is needed */
  secrets: { nextAuthSecret?: string; encryptionKey?: string; paymentWebhookSecret?: string };
  urls: { nextAuth?: string; public?: string; port: number };
  log: { level: NonNullable<Settings["LOG_LEVEL"]>; service: string };
  /** the supervisor's state file under npm start (docs/operations.md#supervision) */
  supervisorState?: string;
  rateLimits: { read: number; write: number; bulk: number };
  imports: { batchRows: number; batchPauseMs: number; yieldRatio: number };
  /** site operations (docs/domain.md#site-operations) */
  siteOps: { accessRevealsPerHour: number; moveOutBlockHours: number };
  /** how long the request log is kept (docs/request-log.md#retention) */
  requestLog: { retentionDays: number; enabled: boolean };
  /** how long what grows with traffic is kept (docs/operations.md#data-retention) */
  retention: { deliveriesDays: number; eventsDays: number; recordsDays: number; hourlyKpisDays: number };
  /** what the edge trusts about the proxies in front (docs/operations.md#behind-a-proxy) */
  edge: { behindTlsProxy: boolean; trustedProxyHops: number; development: boolean; metricsToken?: string; bodyTimeoutMs: number };
  worker: { concurrency: number; tickIntervalMs: number; expiryLanes: number; metricsPort: number | null };
  webhooks: WebhookConfig;
  reconcile: ReconcileConfig;
  alerts: { smtpUrl?: string; mailFrom: string; slackWebhookUrl?: string; slackMinSeverity: "LOW" | "MEDIUM" | "HIGH" | "CRITICAL"; notifyIntervalMs: number };
  embedded: { port: number; dataDir: string };
}

function describeIssue(issue: z.core.$ZodIssue, source: ConfigSource): string {
  const name = String(issue.path[0] ?? "configuration");
  if (issue.code === "invalid_type" && source[name] === undefined) return `${name} is not set.`;
  const message = issue.message.replace(/\.$/, "");
  return `${message.startsWith(name) ? message : `${name} ${message}`}.`;
}

function parseSettings<T extends z.ZodType>(schema: T, source: ConfigSource): z.infer<T> {
  const result = schema.safeParse(source);
  if (!result.success) throw new ConfigError(`Configuration error: ${describeIssue(result.error.issues[0]!, source)}`);
  return result.data;
}

function databaseView(settings: Pick<Settings, "DATABASE_URL" | "DATABASE_POOL_MAX" | "HOLDFAST_WEBHOOK_DB_POOL_MAX">): DatabaseConfig {
  return { url: settings.DATABASE_URL, poolMax: settings.DATABASE_POOL_MAX, dispatchPoolMax: settings.HOLDFAST_WEBHOOK_DB_POOL_MAX };
}

function logView(s: Pick<Settings, "LOG_LEVEL" | "NODE_ENV" | "HOLDFAST_SERVICE">): Config["log"] {
  return { level: s.LOG_LEVEL ?? (s.NODE_ENV === "test" ? "silent" : "info"), service: s.HOLDFAST_SERVICE };
}

/** The app's own address: HOLDFAST_PUBLIC_URL, else NEXTAUTH_URL, else localhost:$PORT (no trailing slash). */
function appBaseUrlOf(s: Pick<Settings, "HOLDFAST_PUBLIC_URL" | "NEXTAUTH_URL" | "PORT">): string {
  const base = s.HOLDFAST_PUBLIC_URL || s.NEXTAUTH_URL || `http://localhost:${s.PORT || 3000}`;
  return base.replace(/\/+$/, "");
}

/** The app's own address, as the worker reaches it (the demo endpoints and receiver). */
export function appBaseUrl(settings: Config = config()): string {
  return appBaseUrlOf({ HOLDFAST_PUBLIC_URL: settings.urls.public, NEXTAUTH_URL: settings.urls.nextAuth, PORT: settings.urls.port });
}

function view(s: Settings): Config {
  return {
    database: databaseView(s),
    demo: s.HOLDFAST_DEMO,
    secrets: { nextAuthSecret: s.NEXTAUTH_SECRET, encryptionKey: s.HOLDFAST_ENCRYPTION_KEY, paymentWebhookSecret: s.PAYMENT_WEBHOOK_SECRET },
    urls: { nextAuth: s.NEXTAUTH_URL, public: s.HOLDFAST_PUBLIC_URL, port: s.PORT },
    log: logView(s),
    supervisorState: s.HOLDFAST_SUPERVISOR_STATE,
    rateLimits: { read: s.RATE_LIMIT_READ_PER_MINUTE, write: s.RATE_LIMIT_WRITE_PER_MINUTE, bulk: s.RATE_LIMIT_BULK_PER_MINUTE },
    imports: { batchRows: s.HOLDFAST_IMPORT_BATCH_ROWS, batchPauseMs: s.HOLDFAST_IMPORT_BATCH_PAUSE_MS, yieldRatio: s.HOLDFAST_IMPORT_YIELD },
    siteOps: { accessRevealsPerHour: s.HOLDFAST_ACCESS_REVEALS_PER_HOUR, moveOutBlockHours: s.HOLDFAST_MOVE_OUT_BLOCK_HOURS },
    requestLog: { retentionDays: s.HOLDFAST_API_LOG_RETENTION_DAYS, enabled: s.HOLDFAST_API_LOG },
    retention: {
      deliveriesDays: s.HOLDFAST_RETAIN_DELIVERIES_DAYS,
      eventsDays: s.HOLDFAST_RETAIN_EVENTS_DAYS,
      recordsDays: s.HOLDFAST_RETAIN_RECORDS_DAYS,
      hourlyKpisDays: s.HOLDFAST_RETAIN_HOURLY_KPIS_DAYS,
    },
    edge: { behindTlsProxy: s.HOLDFAST_BEHIND_TLS_PROXY, trustedProxyHops: s.HOLDFAST_TRUSTED_PROXY_HOPS, development: s.NODE_ENV === "development", metricsToken: s.HOLDFAST_METRICS_TOKEN, bodyTimeoutMs: s.HOLDFAST_REQUEST_BODY_TIMEOUT_MS },
    worker: {
      concurrency: s.HOLDFAST_WORKER_CONCURRENCY,
      tickIntervalMs: s.HOLDFAST_TICK_INTERVAL_MS,
      expiryLanes: s.HOLDFAST_EXPIRY_LANES,
      metricsPort: s.HOLDFAST_WORKER_METRICS_PORT,
    },
    webhooks: {
      timeoutMs: s.HOLDFAST_WEBHOOK_TIMEOUT_MS,
      concurrency: s.HOLDFAST_WEBHOOK_CONCURRENCY,
      leaseMs: s.HOLDFAST_WEBHOOK_LEASE_MS ?? s.HOLDFAST_WEBHOOK_TIMEOUT_MS + 30_000,
      fanoutPollMs: s.HOLDFAST_WEBHOOK_FANOUT_POLL_MS,
      claimPollMs: s.HOLDFAST_WEBHOOK_CLAIM_POLL_MS,
      disableAfterMs: s.HOLDFAST_ENDPOINT_DISABLE_AFTER_HOURS * 3_600_000,
      allowedHosts: new Set(
        s.HOLDFAST_WEBHOOK_ALLOWED_HOSTS.split(",")
          .map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, ""))
          .filter(Boolean),
      ),
      dispatch: s.HOLDFAST_WEBHOOK_DISPATCH,
      strictUrls: !s.HOLDFAST_DEMO,
      demoReceiver: s.HOLDFAST_DEMO ? appBaseUrlOf(s) : null,
    },
    reconcile: {
      cron: s.HOLDFAST_RECONCILE_CRON,
      counterTolerance: s.HOLDFAST_RECONCILE_COUNTER_TOLERANCE,
      autoCorrect: s.HOLDFAST_RECONCILE_AUTO_CORRECT,
      holdGraceSeconds: s.HOLDFAST_RECONCILE_HOLD_GRACE_SECONDS,
      ackGraceSeconds: s.HOLDFAST_RECONCILE_ACK_GRACE_SECONDS,
      poolBatch: s.HOLDFAST_RECONCILE_POOL_BATCH,
    },
    alerts: {
      smtpUrl: s.HOLDFAST_SMTP_URL,
      mailFrom: s.HOLDFAST_MAIL_FROM,
      slackWebhookUrl: s.HOLDFAST_ALERT_SLACK_WEBHOOK_URL,
      slackMinSeverity: s.HOLDFAST_ALERT_SLACK_MIN_SEVERITY,
      notifyIntervalMs: s.HOLDFAST_ALERT_NOTIFY_INTERVAL_SECONDS * 1000,
    },
    embedded: { port: s.HOLDFAST_PG_PORT, dataDir: s.HOLDFAST_DATA_DIR },
  };
}

/**
 * Parses an environment (any record of strings) into typed settings. With `require`, the
 * named secrets must be set, and the public demo payment secret is refused outside demo
 * mode. Throws a ConfigError whose one sentence names the variable.
 */
export function parseConfig(source: ConfigSource, options: { require?: readonly RequiredKey[] } = {}): Config {
  const parsed = view(parseSettings(ConfigSchema, source));
  for (const name of options.require ?? []) requireSetting(name, parsed);
  return parsed;
}

const SECRET_VIEW: Record<RequiredKey, (c: Config) => string | undefined> = {
  DATABASE_URL: (c) => c.database.url,
  NEXTAUTH_SECRET: (c) => c.secrets.nextAuthSecret,
  HOLDFAST_ENCRYPTION_KEY: (c) => c.secrets.encryptionKey,
  PAYMENT_WEBHOOK_SECRET: (c) => c.secrets.paymentWebhookSecret,
};

/**
 * A setting that must be there for what the caller is about to do (of `from`, else this
 * process's); a ConfigError naming it otherwise. The public demo payment secret is
 * refused outside demo mode.
 */
export function requireSetting(name: RequiredKey, from?: Config): string {
  const settings = from ?? config();
  const value = name === "DATABASE_URL" && !from ? databaseConfig().url : SECRET_VIEW[name](settings);
  if (value === undefined) throw new ConfigError(`Configuration error: ${name} is not set.`);
  if (name === "PAYMENT_WEBHOOK_SECRET" && !settings.demo && value === DEMO_PAYMENT_WEBHOOK_SECRET) {
    throw new ConfigError(
      "Configuration error: PAYMENT_WEBHOOK_SECRET is the public demo secret; set your provider's secret, or HOLDFAST_DEMO=1 for a demo.",
    );
  }
  return value;
}

// Values passed in by configure(), over the environment.
let passedIn: Record<string, string | undefined> = {};
let cached: Config | undefined;

/** The environment with the values passed in over it. */
function source(layer = passedIn): ConfigSource {
  return { ...process.env, ...layer };
}

function readEnv(name: ConfigKey): string | undefined {
  return name in passedIn ? passedIn[name] : process.env[name];
}

/** This process's settings: parsed on first use, then cached. */
export function config(): Config {
  cached ??= parseConfig(source());
  return cached;
}

/**
 * Passes settled values in (a launcher's resolved database and demo secrets, the seed's
 * target database): later reads see them over the environment. Only schema variables are
 * kept; an undefined value removes one passed in earlier. Returns the undo.
 */
export function configure(values: Partial<Record<ConfigKey, string | undefined>> | ConfigSource): () => void {
  const previous = passedIn;
  const next = { ...passedIn };
  for (const name of Object.keys(ConfigSchema.shape)) {
    if (name in values) {
      const value = (values as ConfigSource)[name];
      if (value === undefined) delete next[name];
      else next[name] = value;
    }
  }
  // Refused before anything changes.
  const candidate = parseConfig(source(next));
  passedIn = next;
  cached = candidate;
  return () => {
    passedIn = previous;
    cached = undefined;
  };
}

const DatabaseSchema = ConfigSchema.pick({ DATABASE_URL: true, DATABASE_POOL_MAX: true, HOLDFAST_WEBHOOK_DB_POOL_MAX: true });
let lastDatabase: { key: string; value: DatabaseConfig } | undefined;

/**
 * Where this process's pools connect, read afresh (cheaply: three variables) each time a
 * pool is opened or checked, because a process is pointed at its database after it starts.
 */
export function databaseConfig(): DatabaseConfig {
  const raw = {
    DATABASE_URL: readEnv("DATABASE_URL"),
    DATABASE_POOL_MAX: readEnv("DATABASE_POOL_MAX"),
    HOLDFAST_WEBHOOK_DB_POOL_MAX: readEnv("HOLDFAST_WEBHOOK_DB_POOL_MAX"),
  };
  const key = `${raw.DATABASE_URL}\n${raw.DATABASE_POOL_MAX}\n${raw.HOLDFAST_WEBHOOK_DB_POOL_MAX}`;
  if (lastDatabase?.key !== key) lastDatabase = { key, value: databaseView(parseSettings(DatabaseSchema, raw)) };
  return lastDatabase.value;
}

/** The logger's settings, parsed on their own: the logger is made when it is imported, before anything else is read. */
export function logConfig(): Config["log"] {
  const s = parseSettings(ConfigSchema.pick({ LOG_LEVEL: true, NODE_ENV: true, HOLDFAST_SERVICE: true }), {
    LOG_LEVEL: readEnv("LOG_LEVEL"),
    NODE_ENV: readEnv("NODE_ENV"),
    HOLDFAST_SERVICE: readEnv("HOLDFAST_SERVICE"),
  });
  return logView(s);
}

/** HOLDFAST_DEBUG, read without parsing the rest: scripts consult it while reporting any failure, a ConfigError included. */
export function debugRequested(): boolean {
  return Boolean(readEnv("HOLDFAST_DEBUG"));
}

/** This process's outgoing-webhook settings (a view of config()). */
export function webhookConfig(): WebhookConfig {
  return config().webhooks;
}

/** This process's reconciliation settings (a view of config()). */
export function reconcileConfig(): ReconcileConfig {
  return config().reconcile;
}
