import { z } from "zod";

/**
 * Reconciliation settings, read from the environment once per process. A bad value fails
 * at start with one sentence, like server/env.ts.
 *
 * | variable                                 | default        | meaning |
 * |------------------------------------------|----------------|---------|
 * | HOLDFAST_RECONCILE_CRON                  | `*\/15 * * * *` | when the worker runs a scheduled reconciliation (UTC, cron syntax) |
 * | HOLDFAST_RECONCILE_COUNTER_TOLERANCE     | 1              | a counter (or unit) correction changing no count by more than this may be applied by a scheduled run; beyond it an ops lead approves |
 * | HOLDFAST_RECONCILE_AUTO_CORRECT          | 1              | 0 = scheduled runs only report, never correct |
 * | HOLDFAST_RECONCILE_HOLD_GRACE_SECONDS    | 300            | a hold past its expiry by less than this is the expiry job's, not drift |
 * | HOLDFAST_RECONCILE_ACK_GRACE_SECONDS     | 300            | an endpoint behind on a version younger than this is in flight, not drift |
 * | HOLDFAST_RECONCILE_POOL_BATCH            | 500            | pools per keyset batch of the counter checks |
 */

const ReconcileEnvSchema = z.object({
  HOLDFAST_RECONCILE_CRON: z
    .string()
    .trim()
    .regex(/^(\S+\s+){4}\S+$/, "must be a 5-field cron expression")
    .default("*/15 * * * *"),
  HOLDFAST_RECONCILE_COUNTER_TOLERANCE: z.coerce.number().int().min(0).max(100_000).default(1),
  HOLDFAST_RECONCILE_AUTO_CORRECT: z.enum(["0", "1", "true", "false"]).default("1"),
  HOLDFAST_RECONCILE_HOLD_GRACE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  HOLDFAST_RECONCILE_ACK_GRACE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  HOLDFAST_RECONCILE_POOL_BATCH: z.coerce.number().int().min(1).max(50_000).default(500),
});

export interface ReconcileConfig {
  cron: string;
  counterTolerance: number;
  autoCorrect: boolean;
  holdGraceSeconds: number;
  ackGraceSeconds: number;
  poolBatch: number;
}

export function parseReconcileConfig(source: Record<string, string | undefined> = process.env): ReconcileConfig {
  const result = ReconcileEnvSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`Configuration error: ${issue.path.join(".")} ${issue.message}.`);
  }
  const env = result.data;
  return {
    cron: env.HOLDFAST_RECONCILE_CRON,
    counterTolerance: env.HOLDFAST_RECONCILE_COUNTER_TOLERANCE,
    autoCorrect: env.HOLDFAST_RECONCILE_AUTO_CORRECT === "1" || env.HOLDFAST_RECONCILE_AUTO_CORRECT === "true",
    holdGraceSeconds: env.HOLDFAST_RECONCILE_HOLD_GRACE_SECONDS,
    ackGraceSeconds: env.HOLDFAST_RECONCILE_ACK_GRACE_SECONDS,
    poolBatch: env.HOLDFAST_RECONCILE_POOL_BATCH,
  };
}

let cached: ReconcileConfig | undefined;

/** This process's reconciliation settings (parsed on first use). */
export function reconcileConfig(): ReconcileConfig {
  cached ??= parseReconcileConfig();
  return cached;
}
