import { runMigrations } from "graphile-worker";
import pg from "pg";
import type { Tx } from "./tx";
import { logger } from "../../observability/logger";
import { graphileLogger } from "../../jobs/graphile-logger";

/**
 * Enqueueing from domain services: the job row is written by `graphile_worker.add_job`
 * inside the caller's Prisma transaction, so it exists if and only if the change that
 * caused it commits (the worker is woken by NOTIFY, which PostgreSQL sends on commit).
 *
 * Import it from here ("server/domain/shared/enqueue"), not from server/jobs/index: the index
 * imports every task, and tasks import domain services.
 */

export interface EnqueueOptions {
  /** when the job may run (default: now) */
  runAt?: Date;
  /** at most one pending job per key; see jobKeyMode */
  jobKey?: string;
  /** with jobKey: "replace" (default) updates the pending job, "preserve_run_at" keeps its run_at, "unsafe_dedupe" leaves it as is */
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
  /** default 25 */
  maxAttempts?: number;
  /** jobs in one queue run one at a time, in order */
  queueName?: string;
  /** lower runs first; default 0 */
  priority?: number;
}

export type TaskName = keyof GraphileWorker.Tasks;

/** Adds a job in the caller's transaction (or, given the client itself, on its own). */
export async function enqueueJob<K extends TaskName>(
  tx: Pick<Tx, "$executeRaw">,
  taskIdentifier: K,
  payload: GraphileWorker.Tasks[K],
  options: EnqueueOptions = {},
): Promise<void> {
  const { runAt, jobKey, jobKeyMode, maxAttempts, queueName, priority } = options;
  if (jobKeyMode && !jobKey) throw new Error("enqueueJob: jobKeyMode needs a jobKey.");
  await tx.$executeRaw`
    select graphile_worker.add_job(
      identifier => ${taskIdentifier}::text,
      payload => ${JSON.stringify(payload ?? {})}::json,
      queue_name => ${queueName ?? null}::text,
      run_at => ${runAt ?? null}::timestamptz,
      max_attempts => ${maxAttempts ?? null}::int,
      job_key => ${jobKey ?? null}::text,
      priority => ${priority ?? null}::int,
      job_key_mode => ${jobKeyMode ?? null}::text
    )`;
}

/**
 * Installs or upgrades graphile-worker's schema (`graphile_worker`). The worker does this
 * on start; anything that enqueues before a worker has ever run (the app right after
 * migrating, integration tests) calls this first. Safe to run concurrently and repeatedly.
 */
export async function installWorkerSchema(databaseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  pool.on("error", (error) => logger.warn({ err: error }, "worker schema: idle connection error"));
  pool.on("connect", (client) => client.on("error", (error) => logger.warn({ err: error }, "worker schema: connection error")));
  try {
    await runMigrations({ pgPool: pool, logger: graphileLogger(logger.child({ component: "worker-schema" })) });
  } finally {
    await pool.end();
  }
}
