import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { assertReachable, resolveDatabase, type ResolvedDatabase } from "../../server/database/embedded";
import { applyMigrations } from "../../server/database/migrate";
import { loadOrCreateDemoSecrets } from "../../server/config/demo-secrets";
import { config, databaseConfig, parseConfig, REQUIRED_TO_SERVE, type Config } from "../../server/config";
import { installWorkerSchema } from "../../server/worker/worker-schema";

/**
 * What npm start, start:web and start:worker share: find the database, decide demo mode,
 * settle secrets, validate the configuration (server/config), migrate. Any failure is
 * one sentence.
 */

export interface Runtime {
  db: ResolvedDatabase;
  /** the settled configuration: the database found, demo mode, secrets (all required) */
  config: Config;
  demo: boolean;
  /** the environment to hand to child processes (web, worker): this one plus the settled values */
  childEnv: NodeJS.ProcessEnv;
}

export async function prepareRuntime(options: { log: (line: string) => void; port?: number }): Promise<Runtime> {
  const { log } = options;
  // A bad value fails here, before the database starts.
  const settings = config();
  const external = Boolean(databaseConfig().url);
  if (!external) log("Starting the embedded PostgreSQL (data in .data/pg)…");
  const db = await resolveDatabase({ log: () => undefined });
  await assertReachable(db.url);

  // The embedded database is always the demo; an external one only with HOLDFAST_DEMO=1.
  const demo = !external || settings.demo;
  const secrets = demo ? loadOrCreateDemoSecrets() : {};
  const port = options.port ?? settings.urls.port;
  // A child's environment is this process's plus what was settled here (the environment
  // wins over the demo secrets file).
  const merged: NodeJS.ProcessEnv = {
    ...secrets,
    ...process.env,
    DATABASE_URL: db.url,
    HOLDFAST_DEMO: demo ? "1" : "0",
    NEXTAUTH_URL: settings.urls.nextAuth ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const settled = parseConfig(merged, { require: REQUIRED_TO_SERVE });

  const migrated = await applyMigrations(db.url, { log });
  if (migrated.applied.length) log(`Applied ${migrated.applied.length} migration(s).`);
  // The job queue's own schema: domain transactions enqueue jobs into it.
  await installWorkerSchema(db.url);
  return { db, config: settled, demo, childEnv: merged };
}

export function spawnChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { env, stdio: "inherit" });
  child.on("error", (error) => console.error(`✖ ${name} could not start: ${error.message}`));
  return child;
}

export const NEXT_BIN = path.resolve("node_modules/next/dist/bin/next");

export function stopChildren(children: ChildProcess[], timeoutMs = 10_000): Promise<void> {
  return Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  ).then(() => undefined);
}
