// The app's route handlers behind a plain HTTP server in a process of its own, for the
// benchmarks' "through the HTTP API" runs (load generator and server do not share a core).
// Without the tests' OpenAPI check of every response: a deployment does not run it.
import path from "node:path";
import { startRouteServer } from "../test/route-server";

startRouteServer(path.resolve("app"), { contract: false }).then((server) => {
  console.log(`listening ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
});
