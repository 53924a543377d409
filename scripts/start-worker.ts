// npm run start:worker — the job worker (graphile-worker) alone: against DATABASE_URL, or
// the embedded PostgreSQL that npm start runs (started here if nothing runs it). Several
// workers may run against one database. Stops cleanly on SIGINT/SIGTERM.
import { disconnectDb } from "../server/db";
import { logger } from "../server/observability/logger";
import { workerMetricsPort } from "../server/observability/metrics-server";
import { startWorker } from "../server/worker/run-worker";
import { runMain } from "./lib/cli";
import { prepareRuntime } from "./lib/runtime";

runMain(async () => {
  const log = logger.child({ component: "worker" });
  // This process's /metrics (webhook attempts, process metrics); `off` for none. Read
  // first, so a bad value fails before the database starts.
  const metricsPort = workerMetricsPort();
  // Database, demo secrets (.data/secrets.json in demo mode), validated env, migrations.
  const runtime = await prepareRuntime({ log: (line) => log.info(line) });
  // Tasks read configuration (getDb, encryption key) from this process's environment.
  Object.assign(process.env, runtime.childEnv);

  // Jobs at once in this process. Webhook deliveries do not take job slots (each worker's
  // dispatcher has its own HOLDFAST_WEBHOOK_CONCURRENCY), but replays and other I/O-bound
  // jobs do, hence more than the library's default.
  const concurrency = Number(process.env.HOLDFAST_WORKER_CONCURRENCY ?? 32);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 512) {
    throw new Error("HOLDFAST_WORKER_CONCURRENCY must be a whole number from 1 to 512.");
  }
  const worker = await startWorker({ databaseUrl: runtime.db.url, log, concurrency, metricsPort });
  if (worker.metricsUrl) log.info(`worker metrics at ${worker.metricsUrl}`);

  const failure = await new Promise<Error | null>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      log.info({ signal }, "stopping the worker");
      resolve(null);
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    worker.done.then(
      () => resolve(new Error("The worker stopped on its own.")),
      (error: unknown) => resolve(error instanceof Error ? error : new Error(String(error))),
    );
  });
  // A second signal while draining means "now".
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));

  await worker.stop();
  await disconnectDb();
  await runtime.db.stop();
  if (failure) throw new Error(`The worker stopped because of an error: ${failure.message}`);
});
