import http from "node:http";
import type { AddressInfo } from "node:net";
import { METRICS_CONTENT_TYPE, renderProcessMetrics } from "./metrics";

/**
 * A worker's own /metrics endpoint: a small HTTP server in the worker process serving its
 * process registry (metrics.ts) — webhook attempts, process metrics. The database gauges
 * stay with the app's /api/metrics, so a scrape of every process counts nothing twice.
 * Configured by HOLDFAST_WORKER_METRICS_PORT (default 9464; `off` for none), parsed in
 * server/config.
 */

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: { port: number; host?: string }): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found: scrape /metrics\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("Method not allowed\n");
      return;
    }
    renderProcessMetrics().then(
      (body) => {
        res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end(`metrics: ${String(error)}\n`);
      },
    );
  });
  // Outlives a scrape interval (Prometheus: 15–60 s), so a scraper's connection is reused.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = !options.host || options.host === "0.0.0.0" || options.host === "::" ? "127.0.0.1" : options.host;
  return {
    url: `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}/metrics`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
