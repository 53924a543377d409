import { EventEmitter } from "node:events";
import { run, type Runner, type TaskList, type WorkerEvents, type WorkerPool } from "graphile-worker";
import pg from "pg";
import type { Logger } from "pino";
import { recordWorkerHeartbeat, removeWorkerHeartbeat } from "../domain/ops/worker-heartbeat";
import { WORKER_HEARTBEAT_INTERVAL_SECONDS } from "../domain/ops/worker-status";
import { webhookConfig } from "../config";
import { getDb } from "../db";
import { closeAsyncCommitPool } from "../domain/shared/async-commit-db";
import { WebhookDispatcher, type DispatcherOptions } from "../domain/webhooks/delivery/dispatcher";
import { parsedCronItems, taskList } from "../jobs";
import { bindJobDatabase, workerIdentity } from "../jobs/context";
import { enqueueJob } from "../domain/shared/enqueue";
import { graphileLogger } from "../jobs/graphile-logger";
import { JOBS } from "../domain/shared/jobs";
import { INVENTORY_TICK_KEY } from "../jobs/inventory-tick";
import { logger } from "../observability/logger";
import { startMetricsServer, type MetricsServer } from "../observability/metrics-server";

/**
 * The worker process's engine: graphile-worker over PostgreSQL (LISTEN/NOTIFY, SKIP
 * LOCKED), running server/jobs' tasks and crontab. Signals belong to the caller
 * (scripts/start-worker.ts); stop() drains running jobs, then fails the stragglers so
 * another worker retries them.
 */

export interface StartWorkerOptions {
  databaseUrl: string;
  /** jobs run at once in this process (default 4) */
  concurrency?: number;
  log?: Logger;
  /** tasks added to (or replacing) server/jobs' list; for tests */
  tasks?: TaskList;
  /** how long stop() lets running jobs finish before failing them for retry (default 5 s) */
  shutdownTimeoutMs?: number;
  /**
   * The outgoing-webhook dispatcher this process runs beside graphile-worker (fan-out and
   * delivery; server/domain/webhooks/delivery/dispatcher.ts): its options, or false for none.
   * Default: on, unless HOLDFAST_WEBHOOK_DISPATCH=0.
   */
  webhooks?: DispatcherOptions | false;
  /**
   * Serve this process's metrics at http://<host>:<port>/metrics (metrics-server.ts): a
   * port (0 for any free one), or null for none (the default; scripts/start-worker.ts
   * passes HOLDFAST_WORKER_METRICS_PORT).
   */
  metricsPort?: number | null;
}

export interface RunningWorker {
  /** hostname:pid:random, as written to worker_heartbeats */
  workerId: string;
  /** where this worker's metrics are served, or null */
  metricsUrl: string | null;
  stop(): Promise<void>;
  /** settles when the worker has stopped; rejects if it stopped on its own because of an error */
  done: Promise<void>;
}

// Jobs see their AbortSignal fire this long after stop(); stop() then waits for them up to
// shutdownTimeoutMs. Both stay under the 10 s a launcher gives a child before SIGKILL.
const ABORT_AFTER_MS = 3000;
const POOL_END_TIMEOUT_MS = 2000;
// graphile-worker gives up on a forceful shutdown after 5 s itself.
const FORCEFUL_TIMEOUT_MS = 6000;

function sleep(ms: number): Promise<"timeout"> {
  return new Promise((resolve) => setTimeout(() => resolve("timeout"), ms).unref());
}

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const { databaseUrl, concurrency = 4, shutdownTimeoutMs = 5000 } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be a positive integer.");
  const identity = workerIdentity();
  const log = (options.log ?? logger.child({ component: "worker" })).child({ workerId: identity.workerId });
  bindJobDatabase(databaseUrl);

  // Our own pool (not graphile-worker's connectionString pool): its error handlers stay
  // for the pool's whole life and we await its end, so a database going away during
  // shutdown cannot crash the process with an unhandled 'error' event.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: Math.max(concurrency + 4, 8) });
  pool.on("error", (error) => log.warn({ err: error }, "worker: idle database connection failed"));
  pool.on("connect", (client) => client.on("error", (error) => log.warn({ err: error }, "worker: database connection failed")));
  const endPool = () => Promise.race([pool.end().catch(() => undefined), sleep(POOL_END_TIMEOUT_MS)]).then(() => undefined);

  // runner.kill() does nothing once stop() has begun (the pool is already deactivated), so
  // keep hold of the pool itself for a forceful shutdown.
  const events: WorkerEvents = new EventEmitter();
  let workerPool: WorkerPool | undefined;
  events.on("pool:create", ({ workerPool: created }) => {
    workerPool = created;
  });

  // Before the jobs start: a port already taken is a configuration error, not a worker
  // that runs unobserved.
  let metricsServer: MetricsServer | null = null;
  if (options.metricsPort !== undefined && options.metricsPort !== null) {
    try {
      metricsServer = await startMetricsServer({ port: options.metricsPort });
    } catch (error) {
      await endPool();
      throw new Error(`The worker's metrics server could not listen on port ${options.metricsPort}: ${String(error)}`, { cause: error });
    }
  }

  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      events,
      concurrency,
      noHandleSignals: true,
      gracefulShutdownAbortTimeout: ABORT_AFTER_MS,
      logger: graphileLogger(log),
      taskList: { ...taskList, ...options.tasks },
      parsedCronItems: parsedCronItems(),
      // graphile-worker calls completeJob/failJob without awaiting them unless they are
      // batched; a batch is flushed and awaited by its shutdown. Unbatched, stop() could
      // end the pool under a completion still in flight: an unhandled rejection ("Cannot
      // use a pool after calling end") in the process, seen under load in the
      // "stops promptly" test of run-worker.int.test.ts. A delay of 0 batches only what
      // completes in the same tick, so jobs are not held locked any longer.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    });
  } catch (error) {
    await metricsServer?.close();
    await endPool();
    throw error;
  }

  const dispatcher =
    options.webhooks === false || (options.webhooks === undefined && !webhookConfig().dispatch)
      ? null
      : new WebhookDispatcher({ log: log.child({ component: "webhook-dispatcher" }), ...(options.webhooks ?? {}) });

  let running = true;
  const done = runner.promise.finally(() => {
    running = false;
  });
  // Callers need not listen: a crash is also logged by graphile-worker.
  done.catch(() => undefined);

  // This process's own beat: readiness fails within two intervals of it stopping.
  const beat = setInterval(() => {
    recordWorkerHeartbeat(identity).catch((error: unknown) => log.warn({ err: error }, "worker: heartbeat failed"));
  }, WORKER_HEARTBEAT_INTERVAL_SECONDS * 1000);
  beat.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(beat);
      // In parallel with the jobs' drain: attempts in flight get a few seconds, then their
      // leases lapse and another worker retries them (same webhook-id).
      const dispatcherStopped = dispatcher?.stop(Math.min(3000, shutdownTimeoutMs)) ?? Promise.resolve();
      if (running) {
        const graceful = runner.stop().catch((error: unknown) => {
          log.warn({ err: error }, "worker: graceful shutdown reported an error");
        });
        if ((await Promise.race([graceful, sleep(shutdownTimeoutMs)])) === "timeout") {
          log.warn({ shutdownTimeoutMs }, "worker: jobs still running after the shutdown timeout; failing them for retry");
          const forceful = workerPool?.forcefulShutdown("Worker stopping: job outlived the shutdown timeout");
          await Promise.race([Promise.resolve(forceful).catch(() => undefined), sleep(FORCEFUL_TIMEOUT_MS)]);
        }
      }
      await dispatcherStopped.catch((error: unknown) => log.warn({ err: error }, "worker: webhook dispatcher stopped with an error"));
      if (dispatcher) await closeAsyncCommitPool();
      // A job that ignores its abort signal can keep graphile-worker's own promises pending.
      await Promise.race([done.catch(() => undefined), sleep(POOL_END_TIMEOUT_MS)]);
      await Promise.race([removeWorkerHeartbeat(identity).catch(() => undefined), sleep(POOL_END_TIMEOUT_MS)]);
      await endPool();
      await metricsServer?.close();
      log.info("worker stopped");
    })();
    return stopping;
  };

  try {
    await recordWorkerHeartbeat(identity);
    // Start the few-seconds inventory loop (a no-op when a tick is already pending).
    await enqueueJob(getDb(), JOBS.inventoryTick, {}, { jobKey: INVENTORY_TICK_KEY, jobKeyMode: "preserve_run_at", maxAttempts: 1 });
    dispatcher?.start();
  } catch (error) {
    await stop();
    throw error;
  }
  log.info({ concurrency, webhooks: dispatcher !== null, metrics: metricsServer?.url ?? null, tasks: Object.keys({ ...taskList, ...options.tasks }) }, "worker started");
  return { workerId: identity.workerId, metricsUrl: metricsServer?.url ?? null, stop, done };
}
