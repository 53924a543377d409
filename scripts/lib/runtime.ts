import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { assertReachable, resolveDatabase, type ResolvedDatabase } from "../../server/database/embedded";
import { applyMigrations } from "../../server/database/migrate";
import { loadOrCreateDemoSecrets } from "../../server/config/demo-secrets";
import { parseEnv, type Env } from "../../server/env";
import { installWorkerSchema } from "../../server/jobs/enqueue";

/**
 * What npm start, start:web and start:worker share: find the database, decide demo mode,
 * settle secrets, validate the environment, migrate. Any failure is one sentence.
 */

export interface Runtime {
  db: ResolvedDatabase;
  env: Env;
  demo: boolean;
  /** the environment to hand to child processes (web, worker) */
  childEnv: NodeJS.ProcessEnv;
}

export async function prepareRuntime(options: { log: (line: string) => void; port?: number }): Promise<Runtime> {
  const { log } = options;
  const external = Boolean(process.env.DATABASE_URL);
  if (!external) log("Starting the embedded PostgreSQL (data in .data/pg)…");
  const db = await resolveDatabase({ log: () => undefined });
  await assertReachable(db.url);

  const demo = !external || ["1", "true"].includes(process.env.HOLDFAST_DEMO ?? "");
  const secrets = demo ? loadOrCreateDemoSecrets() : {};
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const merged: NodeJS.ProcessEnv = {
    ...secrets,
    ...process.env,
    DATABASE_URL: db.url,
    HOLDFAST_DEMO: demo ? "1" : "0",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  const env = parseEnv(merged);

  const migrated = await applyMigrations(db.url, { log });
  if (migrated.applied.length) log(`Applied ${migrated.applied.length} migration(s).`);
  // The job queue's own schema: domain transactions enqueue jobs into it.
  await installWorkerSchema(db.url);
  return { db, env, demo, childEnv: merged };
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
