import crypto from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { embeddedUrl, ensureDatabaseExists, startEmbedded } from "../server/database/embedded";
import { applyMigrations } from "../server/database/migrate";
import { installWorkerSchema } from "../server/worker/worker-schema";

/**
 * Integration tests run against a real PostgreSQL: a fresh, migrated database per run,
 * on DATABASE_URL's server when set (a new database beside the one it names, dropped
 * afterwards), otherwise on an embedded server of their own under .data/test-pg.
 */

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const name = `holdfast_test_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  let adminUrl: string;
  let stopServer = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const port = Number(process.env.HOLDFAST_TEST_PG_PORT ?? 54339);
    const server = await startEmbedded({ dataDir: `.data/test-pg-${port}`, port, database: "postgres" });
    adminUrl = embeddedUrl(port, "postgres");
    stopServer = server.stop;
  }
  await ensureDatabaseExists(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await applyMigrations(databaseUrl);
  await installWorkerSchema(databaseUrl);
  project.provide("databaseUrl", databaseUrl);

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
    await stopServer();
  };
}
