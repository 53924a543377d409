// npm run start:worker — the job worker (graphile-worker) alone: against DATABASE_URL, or
// the embedded PostgreSQL that npm start runs (started here if nothing runs it). Several
// workers may run against one database. Stops cleanly on SIGINT/SIGTERM.
import { config, configure } from "../server/config";
import { disconnectDb } from "../server/db";
import { logger } from "../server/observability/logger";
import { startWorker } from "../server/worker/run-worker";
import { runMain } from "./lib/cli";
import { prepareRuntime } from "./lib/runtime";

runMain(async () => {
  const log = logger.child({ component: "worker" });
  // Read first, so a bad value (HOLDFAST_WORKER_METRICS_PORT, …) fails before the
  // database starts.
  config();
  // Database, demo secrets (.data/secrets.json in demo mode), validated configuration, migrations.
  const runtime = await prepareRuntime({ log: (line) => log.info(line) });
  // Tasks read this process's configuration (getDb, the encryption key): pass the
  // settled values in.
  configure(runtime.childEnv);

  // concurrency: jobs at once in this process (HOLDFAST_WORKER_CONCURRENCY). Webhook
  // deliveries do not take job slots (each worker's dispatcher has its own
  // HOLDFAST_WEBHOOK_CONCURRENCY), but replays and other I/O-bound jobs do, hence more
  // than the library's default. metricsPort: this process's /metrics (webhook attempts,
  // process metrics), null for `off`.
  const { concurrency, metricsPort } = runtime.config.worker;
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
