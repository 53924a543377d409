// npm run start:web — the web server alone (scale-out), against DATABASE_URL (or the
// embedded server another process started). Expects a build (npm run build).
import fs from "node:fs";
import { config } from "../server/config";
import { runMain } from "./lib/cli";
import { NEXT_BIN, prepareRuntime, spawnChild, stopChildren } from "./lib/runtime";

runMain(async () => {
  if (!fs.existsSync(".next/BUILD_ID")) throw new Error("No build found: run npm run build first.");
  const port = config().urls.port;
  const runtime = await prepareRuntime({ log: (line) => console.log(line), port });
  const web = spawnChild("web server", process.execPath, [NEXT_BIN, "start", "-p", String(port)], runtime.childEnv);
  const code = await new Promise<number>((resolve) => {
    process.on("SIGINT", () => void stopChildren([web]).then(() => resolve(0)));
    process.on("SIGTERM", () => void stopChildren([web]).then(() => resolve(0)));
    web.on("exit", (c) => resolve(c ?? 0));
  });
  await runtime.db.stop();
  if (code) throw new Error(`The web server exited with code ${code}.`);
});
