import { runMigrations } from "graphile-worker";
import pg from "pg";
import { graphileLogger } from "../jobs/graphile-logger";
import { logger } from "../observability/logger";

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
