// npm run start:web — the web server alone (scale-out), against DATABASE_URL (or the
// embedded server another process started). Expects a build (npm run build).
import fs from "node:fs";
import { config } from "../server/config";
import { runMain } from "./lib/cli";
import { firstAdminNotice } from "./lib/first-admin";
import { NEXT_BIN, prepareRuntime, spawnChild, stopChildren } from "./lib/runtime";

runMain(async () => {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("No build found: run npm run build first.");
  const port = config().urls.port;
  const runtime = await prepareRuntime({ log: (line) => console.log(line), port });
  // A production database with nobody to administer it: say how to make the first admin.
  if (!runtime.demo) {
    const notice = await firstAdminNotice(runtime.db.url);
    if (notice) console.log(notice);
  }
  const web = spawnChild("web server", process.execPath, [NEXT_BIN, "start", "-p", String(port)], runtime.childEnv);
  // Stopped by a signal, Next.js exits 143 (or 130): that is the clean stop asked for, not a
  // failure. Only an exit nobody asked for is one (exit 1, for a supervisor to restart it).
  let stopping = false;
  const code = await new Promise<number>((resolve) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void stopChildren([web]).then(() => resolve(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    web.on("exit", (c, signal) => {
      if (!stopping) resolve(c || (signal ? 1 : 0));
    });
  });
  await runtime.db.stop();
  if (code) throw new Error(`The web server stopped on its own (exit code ${code}).`);
});
