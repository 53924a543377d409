import { z } from "zod";

/**
 * The validated environment: one schema for the web app, the worker and scripts.
 * Parsed lazily so that `next build` needs no database and no secrets.
 */

/** Demo-only values (docs/operations.md#demo-mode-and-demo-data); refused outside demo mode. */
export const DEMO_PAYMENT_WEBHOOK_SECRET = "whsec_aG9sZGZhc3QtZGVtby1wYXltZW50LXNlY3JldA==";

const EnvSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set (npm start sets it; for your own server, export it)." })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL."),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  HOLDFAST_DEMO: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters."),
  NEXTAUTH_URL: z.string().url().optional(),
  // 32 bytes, base64: encrypts webhook secrets and access codes at rest.
  HOLDFAST_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "HOLDFAST_ENCRYPTION_KEY must be 32 bytes in base64."),
  PAYMENT_WEBHOOK_SECRET: z.string().startsWith("whsec_", "PAYMENT_WEBHOOK_SECRET must be a whsec_ secret."),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof EnvSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Parses an environment; throws a ConfigError whose message is one sentence. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = issue.path.join(".");
    const message =
      issue.code === "invalid_type" && source[name] === undefined ? `${name} is not set.` : issue.message;
    throw new ConfigError(`Configuration error: ${message}`);
  }
  const env = result.data;
  if (!env.HOLDFAST_DEMO && env.PAYMENT_WEBHOOK_SECRET === DEMO_PAYMENT_WEBHOOK_SECRET) {
    throw new ConfigError(
      "Configuration error: PAYMENT_WEBHOOK_SECRET is the public demo secret; set your provider's secret, or HOLDFAST_DEMO=1 for a demo.",
    );
  }
  return env;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv();
  return cached;
}
