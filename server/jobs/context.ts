import type { JobHelpers } from "graphile-worker";
import type { z } from "zod";
import { configure, databaseConfig } from "../config";
import { newWorkerIdentity, type WorkerIdentity } from "../domain/ops/worker-heartbeat";
import { isValidCorrelationId } from "../observability/correlation";
import type { BasePayload } from "../domain/shared/jobs";
import { describeFieldErrors, fieldErrorsFromZod } from "../domain/shared/validation";

/**
 * What every task shares. Tasks never touch the database themselves: they call domain
 * services, which use the process's Prisma singleton (`getDb()`); startWorker points it at
 * the worker's DATABASE_URL (bindJobDatabase). A task that schedules its own successor
 * uses graphile-worker's `helpers.addJob`.
 */

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
