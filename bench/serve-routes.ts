// The app's route handlers behind a plain HTTP server in a process of its own, for the
// benchmarks' "through the HTTP API" runs (load generator and server do not share a core).
import { startRouteServer } from "../test/route-server";

startRouteServer().then((server) => {
  console.log(`listening ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
});
