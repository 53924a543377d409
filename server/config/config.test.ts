import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  config,
  ConfigError,
  ConfigSchema,
  configure,
  databaseConfig,
  DEMO_PAYMENT_WEBHOOK_SECRET,
  parseConfig,
  REQUIRED_TO_SERVE,
  requireSetting,
} from "./index";

const KEY = Buffer.alloc(32, 3).toString("base64");
const SERVING = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db",
  NEXTAUTH_SECRET: "x".repeat(32),
  HOLDFAST_ENCRYPTION_KEY: KEY,
  PAYMENT_WEBHOOK_SECRET: "whsec_b3duLXByb3ZpZGVyLXNlY3JldA==",
};

describe("the configuration schema", () => {
  it("has a default for everything optional", () => {
    const settings = parseConfig({});
    expect({ ...settings, webhooks: { ...settings.webhooks, allowedHosts: [...settings.webhooks.allowedHosts] } }).toEqual({
      database: { url: undefined, poolMax: 10, dispatchPoolMax: 8 },
      demo: false,
      secrets: { nextAuthSecret: undefined, encryptionKey: undefined, paymentWebhookSecret: undefined },
      urls: { nextAuth: undefined, public: undefined, port: 3000 },
      log: { level: "info", service: "holdfast" },
      supervisorState: undefined,
      rateLimits: { read: 600, write: 120, bulk: 10 },
      imports: { batchRows: 500, batchPauseMs: 25, yieldRatio: 0.5 },
      siteOps: { accessRevealsPerHour: 20, moveOutBlockHours: 24 },
      requestLog: { retentionDays: 30, enabled: true },
      retention: { deliveriesDays: 90, eventsDays: 400, recordsDays: 30, hourlyKpisDays: 90 },
      edge: { behindTlsProxy: false, trustedProxyHops: 0, development: false, metricsToken: undefined, bodyTimeoutMs: 30_000 },
      worker: { concurrency: 32, tickIntervalMs: 5000, expiryLanes: 2, metricsPort: 9464 },
      webhooks: {
        timeoutMs: 15_000,
        concurrency: 128,
        leaseMs: 45_000,
        fanoutPollMs: 20,
        claimPollMs: 200,
        disableAfterMs: 72 * 3_600_000,
        allowedHosts: [],
        dispatch: true,
        strictUrls: true,
        demoReceiver: null,
      },
      reconcile: { cron: "*/15 * * * *", counterTolerance: 1, autoCorrect: true, holdGraceSeconds: 300, ackGraceSeconds: 300, poolBatch: 500 },
      alerts: { smtpUrl: undefined, mailFrom: "Holdfast <alerts@holdfast.invalid>", slackWebhookUrl: undefined, slackMinSeverity: "MEDIUM", notifyIntervalMs: 300_000 },
      embedded: { port: 54329, dataDir: ".data/pg" },
    });
    expect(parseConfig({ NODE_ENV: "test" }).log.level).toBe("silent");
    expect(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "warn" }).log.level).toBe("warn");
  });

  it("types what it reads", () => {
    const settings = parseConfig({
      DATABASE_POOL_MAX: "40",
      RATE_LIMIT_WRITE_PER_MINUTE: "10000000",
      HOLDFAST_WORKER_CONCURRENCY: "512",
      HOLDFAST_WEBHOOK_TIMEOUT_MS: "1000",
      HOLDFAST_WEBHOOK_ALLOWED_HOSTS: " Hooks.Corp , [fd00::1],",
      HOLDFAST_WEBHOOK_DISPATCH: "false",
      HOLDFAST_ENDPOINT_DISABLE_AFTER_HOURS: "0.5",
      PORT: "3130",
    });
    expect(settings.database.poolMax).toBe(40);
    expect(settings.rateLimits.write).toBe(10_000_000);
    expect(settings.worker.concurrency).toBe(512);
    expect(settings.webhooks.leaseMs).toBe(31_000);
    expect([...settings.webhooks.allowedHosts]).toEqual(["hooks.corp", "fd00::1"]);
    expect(settings.webhooks.dispatch).toBe(false);
    expect(settings.webhooks.disableAfterMs).toBe(1_800_000);
    expect(settings.urls.port).toBe(3130);
  });

  it("refuses a bad value in one sentence that names the variable", () => {
    const cases: [Record<string, string>, string][] = [
      [{ DATABASE_URL: "mysql://x" }, "Configuration error: DATABASE_URL must be a postgres:// URL."],
      [{ DATABASE_POOL_MAX: "0" }, "Configuration error: DATABASE_POOL_MAX must be a whole number from 1 to 200."],
      [{ HOLDFAST_WORKER_CONCURRENCY: "513" }, "Configuration error: HOLDFAST_WORKER_CONCURRENCY must be a whole number from 1 to 512."],
      [{ HOLDFAST_WEBHOOK_TIMEOUT_MS: "fast" }, "Configuration error: HOLDFAST_WEBHOOK_TIMEOUT_MS must be a whole number from 1 to 120000."],
      [{ RATE_LIMIT_READ_PER_MINUTE: "1.5" }, "Configuration error: RATE_LIMIT_READ_PER_MINUTE must be a whole number from 1 to 10000000."],
      [{ LOG_LEVEL: "loud" }, "Configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent."],
      [{ NEXTAUTH_SECRET: "short" }, "Configuration error: NEXTAUTH_SECRET must be at least 32 characters."],
      [{ HOLDFAST_ENCRYPTION_KEY: "c2hvcnQ=" }, "Configuration error: HOLDFAST_ENCRYPTION_KEY must be 32 bytes in base64."],
      [{ PAYMENT_WEBHOOK_SECRET: "secret" }, "Configuration error: PAYMENT_WEBHOOK_SECRET must be a whsec_ secret."],
      [{ HOLDFAST_RECONCILE_AUTO_CORRECT: "yes" }, "Configuration error: HOLDFAST_RECONCILE_AUTO_CORRECT must be 0, 1, true or false."],
      [{ HOLDFAST_WORKER_METRICS_PORT: "on" }, 'Configuration error: HOLDFAST_WORKER_METRICS_PORT must be a port number (0–65535) or "off"; got "on".'],
    ];
    for (const [source, message] of cases) {
      expect(() => parseConfig(source), JSON.stringify(source)).toThrow(ConfigError);
      expect(() => parseConfig(source), JSON.stringify(source)).toThrow(message);
    }
  });

  it("reads HOLDFAST_DEMO one way: 1/true on, 0/false/unset off, anything else refused", () => {
    for (const on of ["1", "true"]) {
      expect(parseConfig({ HOLDFAST_DEMO: on }).demo).toBe(true);
      expect(parseConfig({ HOLDFAST_DEMO: on }).webhooks.strictUrls).toBe(false);
    }
    for (const off of [{ HOLDFAST_DEMO: "0" }, { HOLDFAST_DEMO: "false" }, {}]) {
      expect(parseConfig(off).demo).toBe(false);
      expect(parseConfig(off).webhooks.strictUrls).toBe(true);
    }
    for (const bad of ["yes", "on", "TRUE", ""]) {
      expect(() => parseConfig({ HOLDFAST_DEMO: bad })).toThrow("Configuration error: HOLDFAST_DEMO must be 0, 1, true or false.");
    }
  });

  it("requires the secrets a serving process needs, and refuses the demo payment secret outside demo mode", () => {
    expect(parseConfig(SERVING, { require: REQUIRED_TO_SERVE }).secrets.encryptionKey).toBe(KEY);
    for (const name of REQUIRED_TO_SERVE) {
      const source: Record<string, string | undefined> = { ...SERVING, [name]: undefined };
      expect(() => parseConfig(source, { require: REQUIRED_TO_SERVE })).toThrow(`Configuration error: ${name} is not set.`);
      // …but parsing alone does not (next build, tools): they are required where used.
      expect(() => parseConfig(source)).not.toThrow();
    }
    const demoSecret = { ...SERVING, PAYMENT_WEBHOOK_SECRET: DEMO_PAYMENT_WEBHOOK_SECRET };
    expect(() => parseConfig(demoSecret, { require: REQUIRED_TO_SERVE })).toThrow(/PAYMENT_WEBHOOK_SECRET is the public demo secret/);
    expect(() => requireSetting("PAYMENT_WEBHOOK_SECRET", parseConfig(demoSecret))).toThrow(ConfigError);
    expect(requireSetting("PAYMENT_WEBHOOK_SECRET", parseConfig({ ...demoSecret, HOLDFAST_DEMO: "1" }))).toBe(DEMO_PAYMENT_WEBHOOK_SECRET);
  });

  it("describes every variable, and docs/operations.md#configuration lists every one", () => {
    const docs = fs.readFileSync("docs/operations.md", "utf8");
    const section = docs.slice(docs.indexOf("## Configuration"), docs.indexOf("\n## ", docs.indexOf("## Configuration") + 1));
    for (const [name, schema] of Object.entries(ConfigSchema.shape)) {
      expect(schema.description, name).toBeTruthy();
      expect(section, name).toContain(`\`${name}\``);
    }
  });
});

describe("this process's configuration", () => {
  const undo: (() => void)[] = [];
  afterEach(() => {
    for (const restore of undo.splice(0).reverse()) restore();
  });

  it("is parsed once and cached", () => {
    expect(config()).toBe(config());
  });

  it("takes values passed in with configure(), refuses a bad one unchanged, and undoes", () => {
    const before = config();
    expect(() => configure({ HOLDFAST_RECONCILE_CRON: "hourly" })).toThrow(/HOLDFAST_RECONCILE_CRON/);
    expect(config()).toBe(before);
    undo.push(configure({ HOLDFAST_RECONCILE_CRON: "0 * * * *", PATH: "/nowhere" } as Record<string, string>));
    expect(config().reconcile.cron).toBe("0 * * * *");
    undo.pop()!();
    expect(config().reconcile.cron).toBe(before.reconcile.cron);
  });

  it("reads the database settings afresh, so pools follow a process re-pointed at its database", () => {
    const previous = { url: process.env.DATABASE_URL, max: process.env.DATABASE_POOL_MAX };
    try {
      process.env.DATABASE_URL = "postgres://u:p@127.0.0.1:1/first";
      process.env.DATABASE_POOL_MAX = "20";
      expect(databaseConfig()).toMatchObject({ url: "postgres://u:p@127.0.0.1:1/first", poolMax: 20 });
      process.env.DATABASE_URL = "postgres://u:p@127.0.0.1:1/second";
      expect(databaseConfig().url).toBe("postgres://u:p@127.0.0.1:1/second");
      undo.push(configure({ DATABASE_URL: "postgres://u:p@127.0.0.1:1/passed-in" }));
      expect(databaseConfig().url).toBe("postgres://u:p@127.0.0.1:1/passed-in");
      expect(requireSetting("DATABASE_URL")).toBe("postgres://u:p@127.0.0.1:1/passed-in");
      process.env.DATABASE_POOL_MAX = "201";
      expect(() => databaseConfig()).toThrow("Configuration error: DATABASE_POOL_MAX must be a whole number from 1 to 200.");
    } finally {
      if (previous.url === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous.url;
      if (previous.max === undefined) delete process.env.DATABASE_POOL_MAX;
      else process.env.DATABASE_POOL_MAX = previous.max;
    }
  });
});
