import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PARTNER_API_MAX_BODY_BYTES } from "@/server/http/body-limits";
import { installNodeRequestGuard } from "@/server/http/node-request-guard";
import { rawRequest, requestHead } from "./raw-http";

/**
 * Issue #16 item 4 on a raw socket: the Node.js server's body gate (installed as
 * instrumentation.ts installs it under `next start`) refuses a body at its route's limit
 * while it streams, answers a lying Content-Length at once, and times a stalled body out
 * with 408, before the request handler (Next.js there, a byte counter here) sees anything.
 * e2e/body-limits.spec.ts does the same against `next start`.
 */

const TIMEOUT_MS = 1500;
process.env.HOLDFAST_REQUEST_BODY_TIMEOUT_MS = String(TIMEOUT_MS);

let server: http.Server;
let port: number;
/** what the handler behind the gate received: path → body bytes */
const handed: { path: string; bytes: number }[] = [];

beforeAll(async () => {
  installNodeRequestGuard();
  server = http.createServer(async (req, res) => {
    let bytes = 0;
    for await (const chunk of req) bytes += (chunk as Buffer).byteLength;
    handed.push({ path: req.url ?? "", bytes });
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ bytes }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const LIMIT = PARTNER_API_MAX_BODY_BYTES;
const piece = Buffer.alloc(4096, "a");

describe("the body gate", () => {
  it("hands a body within the route's limit to the handler whole", async () => {
    const body = Buffer.alloc(LIMIT, "b");
    const exchange = await rawRequest(port, requestHead("POST", "/api/v1/bookings?whole", { "content-length": String(body.length) }));
    await exchange.write(body);
    expect(await exchange.answered(5000)).toBe(200);
    expect(exchange.received()).toContain(`{"bytes":${LIMIT}}`);
    exchange.end();
  });

  it("refuses a chunked stream 413 as soon as it passes the limit, long before it is all sent", async () => {
    const exchange = await rawRequest(port, requestHead("POST", "/api/v1/bookings?stream", { "transfer-encoding": "chunked", "content-type": "application/json" }));
    const wanted = 50 * 1024 * 1024;
    const chunk = `${piece.length.toString(16)}\r\n${piece.toString()}\r\n`;
    while (exchange.bodyBytesSent() < wanted && (await exchange.write(chunk))) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await exchange.answered(5000)).toBe(413);
    // answered within a few pieces of the limit (the socket's buffers), not after 50 MB
    expect(exchange.bodyBytesSent()).toBeLessThan(LIMIT + 512 * 1024);
    expect(exchange.received()).toContain('"code":"PAYLOAD_TOO_LARGE"');
    expect(exchange.received().toLowerCase()).toContain("connection: close");
    await exchange.closed(5000);
    expect(handed.some((h) => h.path.endsWith("?stream"))).toBe(false);
  });

  it("refuses a Content-Length over the limit at once, though only 2 bytes are sent", async () => {
    const started = Date.now();
    const exchange = await rawRequest(port, requestHead("POST", "/api/v1/bookings?lying", { "content-length": "999999999", "content-type": "application/json" }));
    await exchange.write("{}");
    expect(await exchange.answered(TIMEOUT_MS)).toBe(413);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    await exchange.closed(5000);
    expect(handed.some((h) => h.path.endsWith("?lying"))).toBe(false);
  });

  it("times out 408 a body shorter than its Content-Length, and closes the connection", async () => {
    const started = Date.now();
    const exchange = await rawRequest(port, requestHead("POST", "/api/v1/bookings?short", { "content-length": "1000", "content-type": "application/json" }));
    await exchange.write("{}");
    expect(await exchange.answered(TIMEOUT_MS + 5000)).toBe(408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
    expect(exchange.received()).toContain('"code":"REQUEST_TIMEOUT"');
    await exchange.closed(5000);
    expect(handed.some((h) => h.path.endsWith("?short"))).toBe(false);
  });

  it("times out 408 a body that trickles in slower than the timeout allows", async () => {
    const exchange = await rawRequest(port, requestHead("POST", "/api/v1/bookings?slow", { "content-length": "100", "content-type": "application/json" }));
    const started = Date.now();
    while (Date.now() - started < TIMEOUT_MS + 5000 && (await exchange.write("x"))) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await exchange.answered(5000)).toBe(408);
    await exchange.closed(5000);
  });

  it("holds each route to its own limit: the console's 1 MB is not the partner API's 32 KiB", async () => {
    const body = Buffer.alloc(LIMIT + 1, "c");
    const partner = await rawRequest(port, requestHead("POST", "/api/v1/bookings?over", { "content-length": String(body.length) }));
    await partner.write(body);
    expect(await partner.answered(5000)).toBe(413);
    const page = await rawRequest(port, requestHead("POST", "/bookings?action", { "content-length": String(body.length) }));
    await page.write(body);
    expect(await page.answered(5000)).toBe(200);
    partner.end();
    page.end();
  });
});
