import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { NextRequest } from "next/server";
import { proxy } from "../proxy";
import { config } from "../server/config";
import { stampClientIp } from "../server/http/client-ip";
import { answerConnect, answerForbiddenMethod } from "../server/http/node-request-guard";
import { isPartnerApiPath, OpenApiContract, type OpenApiDocumentLike } from "./contract/openapi-contract";

/**
 * Real HTTP on loopback to the app's real route handlers (app/api/**\/route.ts), mapped
 * the way Next.js maps them, without a production build: integration tests exercise
 * the partner API exactly as a partner's HTTP client would. (e2e tests do the same
 * against `next start`.) As under `next start`, TRACE-like methods are answered before
 * anything else (instrumentation.ts) and every request goes through proxy.ts first.
 */

type Handler = (request: Request, args: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
interface RouteEntry {
  pattern: RegExp;
  names: string[];
  file: string;
  module?: Record<string, Handler>;
  /** a [...catch-all] route: tried after every other */
  catchAll: boolean;
}

function discover(dir: string, base: string): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) entries.push(...discover(full, base));
    else if (name === "route.ts") {
      const segments = path.relative(base, dir).split(path.sep).filter(Boolean);
      const names: string[] = [];
      let catchAll = false;
      const source = segments
        .map((s) => {
          const rest = /^\[\.\.\.(.+)\]$/.exec(s);
          if (rest) {
            names.push(rest[1]!);
            catchAll = true;
            return "(.+)";
          }
          const dynamic = /^\[(.+)\]$/.exec(s);
          if (!dynamic) return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(dynamic[1]!);
          return "([^/]+)";
        })
        .join("/");
      entries.push({ pattern: new RegExp(`^/${source}$`), names, file: full, catchAll });
    }
  }
  // static segments win over dynamic ones, and catch-alls come last, the deepest first
  const depth = (e: RouteEntry) => e.pattern.source.split("/").length;
  return entries.sort((a, b) => Number(a.catchAll) - Number(b.catchAll) || (a.catchAll ? depth(b) - depth(a) : a.names.length - b.names.length));
}

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

/** What the partner API answered against what its served OpenAPI document says (test/contract). */
const CONTRACT_VIOLATION_STATUS = 599;

export async function startRouteServer(appDir = path.resolve("app"), options: { contract?: boolean } = {}): Promise<RouteServer> {
  const routes = discover(path.join(appDir, "api"), appDir);
  // Every partner-API response is checked against the document the app serves; a
  // violation answers 599 to the test and fails the file when the server is closed.
  const violations: string[] = [];
  let contract: Promise<OpenApiContract> | undefined;
  const loadContract = async () => {
    const route = routes.find((r) => r.pattern.test("/api/v1/openapi.json"));
    if (!route) throw new Error("route-server: the app serves no /api/v1/openapi.json to check responses against");
    route.module ??= (await import(route.file)) as Record<string, Handler>;
    const served = await route.module.GET!(new Request("http://localhost/api/v1/openapi.json"), { params: Promise.resolve({}) });
    return new OpenApiContract((await served.json()) as OpenApiDocumentLike);
  };
  const server = http.createServer(async (req, res) => {
    try {
      if (answerForbiddenMethod(req, res)) return;
      stampClientIp(req, config().edge.trustedProxyHops);
      const url = new URL(req.url ?? "/", "http://localhost");
      const method = req.method ?? "GET";
      // Read the whole body first, as Next.js does: answering before it is read resets the connection.
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const incoming = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") incoming.set(k, v);
      const proxied = proxy(new NextRequest(`http://localhost${req.url}`, { method, headers: incoming }));
      if (!proxied.headers.has("x-middleware-next")) {
        res.writeHead(proxied.status, Object.fromEntries(proxied.headers.entries()));
        res.end(Buffer.from(await proxied.arrayBuffer()));
        return;
      }
      const route = routes.find((r) => r.pattern.test(url.pathname));
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      route.module ??= (await import(route.file)) as Record<string, Handler>;
      const handler = route.module[method];
      if (!handler) {
        res.writeHead(405).end();
        return;
      }
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(
        route.names.map((n, i) => [n, route.catchAll && i === route.names.length - 1 ? match[i + 1]!.split("/").map(decodeURIComponent) : decodeURIComponent(match[i + 1]!)]),
      );
      const headers = new Headers(incoming);
      headers.set("x-correlation-id", proxied.headers.get("x-correlation-id")!);
      const request = new Request(`http://localhost${req.url}`, {
        method,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
      });
      const response = await handler(request, { params: Promise.resolve(params) });
      const body = Buffer.from(await response.arrayBuffer());
      if (options.contract !== false && isPartnerApiPath(url.pathname)) {
        const found = (await (contract ??= loadContract())).check({
          method,
          path: url.pathname,
          status: response.status,
          headers: response.headers,
          body,
        });
        if (found.length) {
          violations.push(...found);
          res.writeHead(CONTRACT_VIOLATION_STATUS, { "content-type": "text/plain" }).end(`OpenAPI contract violated:\n${found.join("\n")}`);
          return;
        }
      }
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(body);
    } catch (error) {
      res.writeHead(599, { "content-type": "text/plain" }).end(`route-server: ${String(error)}`);
    }
  });
  server.on("connect", answerConnect);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (violations.length) {
        throw new Error(`${violations.length} partner-API response(s) broke the served OpenAPI document:\n${[...new Set(violations)].join("\n")}`);
      }
    },
  };
}
