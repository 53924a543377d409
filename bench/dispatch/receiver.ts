// A partner's webhook receiver for bench/dispatch, in a process of its own: answers every
// POST after BENCH_RECEIVER_DELAY_MS (default 50) with 204 and remembers when each
// webhook-id first arrived. GET /stats returns the count and the arrivals; POST /reset
// forgets them.
import http from "node:http";
import type { AddressInfo } from "node:net";

const DELAY_MS = Number(process.env.BENCH_RECEIVER_DELAY_MS ?? 50);
let requests = 0;
let firstArrival = new Map<string, number>();

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ requests, unique: firstArrival.size, arrivals: [...firstArrival.entries()] }));
    return;
  }
  if (req.method === "POST" && req.url === "/reset") {
    requests = 0;
    firstArrival = new Map();
    res.writeHead(204).end();
    return;
  }
  if (req.method === "GET" && req.url === "/count") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ requests, unique: firstArrival.size }));
    return;
  }
  const at = Date.now();
  req.resume();
  req.on("end", () => {
    requests++;
    const id = `${req.url}|${req.headers["webhook-id"]}`;
    if (!firstArrival.has(id)) firstArrival.set(id, at);
    setTimeout(() => res.writeHead(204).end(), DELAY_MS);
  });
});
server.keepAliveTimeout = 60_000;
server.maxRequestsPerSocket = 0;
server.listen(0, "127.0.0.1", () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => process.exit(0));
