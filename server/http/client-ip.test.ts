import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { clientIpFrom, stampClientIp } from "./client-ip";

describe("the client's address", () => {
  it.each([
    // [socket peer, X-Forwarded-For, trusted hops, client]
    ["203.0.113.7", undefined, 0, "203.0.113.7"],
    ["203.0.113.7", "198.51.100.1", 0, "203.0.113.7"], // no proxy trusted: the header is the client's own words
    ["::ffff:203.0.113.7", "1.2.3.4, 5.6.7.8", 0, "203.0.113.7"],
    ["10.0.0.2", "198.51.100.1", 1, "198.51.100.1"], // one proxy: it appended the client
    ["10.0.0.2", "6.6.6.6, 198.51.100.1", 1, "198.51.100.1"], // the client's own entry on the left is ignored
    ["10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", 2, "198.51.100.1"], // two proxies
    ["10.0.0.2", "198.51.100.1", 2, "198.51.100.1"], // fewer entries than hops: the leftmost there is
    ["10.0.0.2", "not-an-ip", 1, null],
    ["10.0.0.2", "2001:db8::5", 1, "2001:db8::5"],
  ] as const)("peer %s, X-Forwarded-For %s, %i trusted hops → %s", (peer, forwarded, hops, client) => {
    expect(clientIpFrom(peer, forwarded, hops)).toBe(client);
  });

  it("25 requests with 25 different X-Forwarded-For values are one client when no proxy is trusted", async () => {
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      // a client-supplied x-holdfast-client-ip is overwritten too
      stampClientIp(req, 0);
      seen.push(req.headers["x-holdfast-client-ip"] as string | undefined);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (let i = 0; i < 25; i++) {
        await fetch(`http://127.0.0.1:${port}/`, { headers: { "x-forwarded-for": `198.51.100.${i}`, "x-holdfast-client-ip": `203.0.113.${i}` } });
      }
    } finally {
      server.close();
    }
    expect(new Set(seen)).toEqual(new Set(["127.0.0.1"]));
  });
});
