// npm start — the whole of Holdfast on one machine: the database (embedded unless
// DATABASE_URL is set), migrations, the demo seed on an empty demo database, a production
// build when the sources changed, then the web server and the worker side by side.
// npm run dev — the same with `next dev`.
import { spawnSync, type ChildProcess } from "node:child_process";
import { config } from "../server/config";
import { createPrismaClient } from "../server/db";
import { buildIsCurrent, recordBuild } from "./lib/build-fingerprint";
import { runMain } from "./lib/cli";
import { NEXT_BIN, prepareRuntime, spawnChild, stopChildren } from "./lib/runtime";
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

  const children: ChildProcess[] = [
    spawnChild("web server", process.execPath, [NEXT_BIN, dev ? "dev" : "start", "-p", String(port)], runtime.childEnv),
    spawnChild("worker", process.execPath, ["--import", "tsx", "scripts/start-worker.ts"], {
      ...runtime.childEnv,
      HOLDFAST_SERVICE: "holdfast-worker",
    }),
  ];
  if (runtime.demo) printDemoBanner(port);
  else log(`Holdfast is running on http://localhost:${port}`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (code: number) => {
      if (stopping) return;
      stopping = true;
      await stopChildren(children);
      await runtime.db.stop();
      process.exitCode = code;
      resolve();
    };
    process.on("SIGINT", () => void stop(0));
    process.on("SIGTERM", () => void stop(0));
    for (const child of children) {
      child.on("exit", (code) => {
        if (!stopping) {
          console.error(`✖ A process stopped (exit code ${code ?? "signal"}); shutting Holdfast down.`);
          void stop(code || 1);
        }
      });
    }
  });
  if (process.exitCode) throw new Error("Holdfast stopped because one of its processes failed.");
});
