// npm start — the whole of Holdfast on one machine: the database (embedded unless
// DATABASE_URL is set), migrations, the demo seed on an empty demo database, a production
// build when the sources changed, then the web server and the worker side by side, each
// restarted if it stops on its own (scripts/lib/supervisor.ts) until Ctrl+C or SIGTERM.
// npm run dev — the same with `next dev`.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { config } from "../server/config";
import { createPrismaClient } from "../server/db";
import { buildIsCurrent, recordBuild } from "./lib/build-fingerprint";
import { runMain } from "./lib/cli";
import { logger } from "../server/observability/logger";
import { NEXT_BIN, prepareRuntime } from "./lib/runtime";
import { Supervisor } from "./lib/supervisor";
import { firstAdminNotice } from "./lib/first-admin";
import { printDemoBanner, seedIfEmpty } from "./lib/seed-on-start";
import { appBaseUrl, repointDemoEndpoints } from "../prisma/seed";

const dev = process.argv.includes("--dev");

runMain(async () => {
  const port = config().urls.port;
  const log = (line: string) => console.log(line);
  const runtime = await prepareRuntime({ log, port });

  if (runtime.demo) {
    const db = createPrismaClient(runtime.db.url, 4);
    try {
      await seedIfEmpty(db, log, runtime.db.url);
      // the demo endpoints follow this start's address (PORT may have changed since the seed)
      await repointDemoEndpoints(db, appBaseUrl(runtime.config));
    } finally {
      await db.$disconnect();
    }
  }

  if (!dev && !buildIsCurrent()) {
    log("Building the console (next build)…");
    const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { env: runtime.childEnv, stdio: "inherit" });
    if (build.status !== 0) throw new Error("next build failed (see above).");
    recordBuild();
  }

  // A production database with nobody to administer it: say how to make the first admin.
  const adminNotice = runtime.demo ? null : await firstAdminNotice(runtime.db.url);

  // The readiness check of the web server reads the supervisor's state (a crash loop fails it).
  const stateFile = path.resolve(path.dirname(runtime.config.embedded.dataDir), `supervisor-${port}.json`);
  const childEnv = { ...runtime.childEnv, HOLDFAST_SUPERVISOR_STATE: stateFile };
  const supervisor = new Supervisor(
    [
      { name: "web server", command: process.execPath, args: [NEXT_BIN, dev ? "dev" : "start", "-p", String(port)], env: childEnv },
      {
        name: "worker",
        command: process.execPath,
        args: ["--import", "tsx", "scripts/start-worker.ts"],
        env: { ...childEnv, HOLDFAST_SERVICE: "holdfast-worker" },
      },
    ],
    { log: logger.child({ component: "supervisor" }), stateFile },
  );
  supervisor.start();
  if (runtime.demo) printDemoBanner(port);
  else {
    log(`Holdfast is running on http://localhost:${port}`);
    if (adminNotice) log(adminNotice);
  }

  // Only Ctrl+C or SIGTERM stops Holdfast: a child that stops on its own is restarted.
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  log(`Stopping Holdfast (${signal})…`);
  // A second signal while stopping means "now".
  process.once("SIGINT", () => process.exit(130));
  process.once("SIGTERM", () => process.exit(143));
  await supervisor.stop();
  await runtime.db.stop();
});
