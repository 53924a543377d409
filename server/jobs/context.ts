import type { JobHelpers } from "graphile-worker";
import { z } from "zod";
import { configure, databaseConfig } from "../config";
import { getDb, type Db } from "../db";
import { newWorkerIdentity, type WorkerIdentity } from "../domain/ops/worker-heartbeat";
import { isValidCorrelationId } from "../observability/correlation";
import { describeFieldErrors, fieldErrorsFromZod } from "../domain/shared/validation";

/**
 * What every task shares. The one decision about the database lives here: tasks use the
 * process's Prisma singleton (`getDb()`), which startWorker points at the worker's
 * DATABASE_URL, so a domain service called from a task shares the same pool.
 */

export function jobDb(): Db {
  return getDb();
}

/**
 * Points the process's Prisma singleton at the worker's database. Refuses a second,
 * different URL: tasks and the domain services they call would silently use the other.
 */
export function bindJobDatabase(databaseUrl: string): void {
  const current = databaseConfig().url;
  if (current && current !== databaseUrl) {
    throw new Error("The worker's databaseUrl differs from DATABASE_URL in this process; start the worker with the same database.");
  }
  if (!current) configure({ DATABASE_URL: databaseUrl });
}

let identity: WorkerIdentity | undefined;

/** This process's worker identity (hostname:pid:random), fixed for its lifetime. */
export function workerIdentity(): WorkerIdentity {
  identity ??= newWorkerIdentity();
  return identity;
}

/** Fields any job payload may carry; cron adds `_cron`. */
export const BasePayload = z.looseObject({
  correlationId: z.string().optional(),
  _cron: z.object({ ts: z.string(), backfilled: z.boolean() }).optional(),
});

export type BasePayload = z.infer<typeof BasePayload>;

/** Payload of the retention jobs: the batch size may be lowered (tests, a struggling database). */
export const CleanupPayload = BasePayload.extend({
  batchSize: z.number().int().min(1).max(10_000).optional(),
});

export type CleanupPayload = z.infer<typeof CleanupPayload>;

/** Parses a payload, failing the attempt with one sentence when it is malformed. */
export function parsePayload<T extends z.ZodType>(schema: T, payload: unknown, helpers: JobHelpers): z.infer<T> {
  const result = schema.safeParse(payload ?? {});
  if (!result.success) {
    const problems = describeFieldErrors(fieldErrorsFromZod(result.error, { root: "payload" }));
    throw new Error(`Job ${helpers.job.id} (${helpers.job.task_identifier}) has a malformed payload: ${problems}`);
  }
  return result.data;
}

/** The request's correlation id when the job was enqueued by one, else one naming the job. */
export function jobCorrelationId(payload: BasePayload, helpers: JobHelpers): string {
  const given = payload.correlationId;
  return given && isValidCorrelationId(given) ? given : `job_${helpers.job.id}`;
}
