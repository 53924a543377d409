import type { Tx } from "./tx";

/**
 * Enqueueing from domain services: the job row is written by `graphile_worker.add_job`
 * inside the caller's Prisma transaction, so it exists if and only if the change that
 * caused it commits (the worker is woken by NOTIFY, which PostgreSQL sends on commit).
 *
 * It lives in the domain because services enqueue; the domain never imports server/jobs
 * (docs/conventions.md#layers-and-imports). Task names and payload types come from the
 * JOBS and JOB_PAYLOADS (./jobs.ts). The worker's schema is installed by
 * server/worker/worker-schema.ts.
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
