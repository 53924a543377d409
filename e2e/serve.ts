// The server behind the e2e run: a fresh database on its own embedded PostgreSQL (or a
// fresh database beside DATABASE_URL's), then exactly what `npm start` does.
import { spawn } from "node:child_process";
import pg from "pg";
import { embeddedUrl, startEmbedded } from "../server/database/embedded";

async function main() {
  const port = Number(process.env.E2E_PORT ?? 3100);
  const database = "holdfast_e2e";
  let adminUrl: string;
  let stopServer = async () => undefined as void;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const pgPort = Number(process.env.E2E_PG_PORT ?? 54359);
    const server = await startEmbedded({ dataDir: `.data/e2e-pg-${pgPort}`, port: pgPort, database: "postgres" });
    adminUrl = embeddedUrl(pgPort, "postgres");
    stopServer = server.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;

  const app = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      HOLDFAST_DEMO: "1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      // the worker's metrics on a free port, so an e2e run beside a running Holdfast (or another run) does not collide on 9464
      HOLDFAST_WORKER_METRICS_PORT: process.env.HOLDFAST_WORKER_METRICS_PORT ?? "0",
      // e2e/body-limits.spec.ts waits for a stalled body to time out: 5 s rather than 30
      HOLDFAST_REQUEST_BODY_TIMEOUT_MS: "5000",
    },
  });
  const stop = () => app.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const code = await new Promise<number>((resolve) => app.on("exit", (c) => resolve(c ?? 0)));
  // Leave nothing behind on someone else's server (best effort: when the whole process
  // group is signalled, the embedded server may already be shutting down).
  if (process.env.DATABASE_URL) {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    try {
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${database} with (force)`);
    } catch {
      // the next run drops it first anyway
    } finally {
      await cleanup.end().catch(() => undefined);
    }
  }
  await stopServer();
  process.exit(code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
