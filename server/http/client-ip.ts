import type { IncomingMessage } from "node:http";
import net from "node:net";

/**
 * The one place the client's address is decided (docs/operations.md#behind-a-proxy).
 *
 * The socket's peer is the client unless HOLDFAST_TRUSTED_PROXY_HOPS says how many proxies
 * of ours stand in front: each appends the address it got the request from to
 * X-Forwarded-For, so the client is the entry that many hops from the right (the socket's
 * peer being the last proxy). Entries further left were written by the client and are
 * never believed. The Node.js server stamps the result on every request as
 * `x-holdfast-client-ip`, replacing whatever the client sent under that name, and every
 * transport (partner API, tRPC, server actions, sign-in) reads only that.
 */

export const CLIENT_IP_HEADER = "x-holdfast-client-ip";

function normalise(address: string | undefined | null): string | null {
  const text = address?.trim().replace(/^\[|\]$/g, "");
  if (!text) return null;
  const unmapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text)?.[1] ?? text;
  return net.isIP(unmapped) ? unmapped.toLowerCase() : null;
}

/** The client's address from the socket's peer and X-Forwarded-For, trusting `hops` proxies. */
export function clientIpFrom(socketAddress: string | undefined | null, forwardedFor: string | undefined | null, hops: number): string | null {
  const peer = normalise(socketAddress);
  if (hops <= 0 || !forwardedFor) return peer;
  const chain = forwardedFor.split(",").map((entry) => entry.trim());
  // chain[length - 1] was appended by the proxy nearest us (the socket's peer), and so on
  // leftwards; with `hops` proxies, the client is the entry the farthest of them appended.
  const entry = chain[chain.length - hops];
  return entry === undefined ? normalise(chain[0]) : normalise(entry);
}

/** Stamps the decided address on a raw request (the Node.js server, before Next.js sees it). */
export function stampClientIp(req: IncomingMessage, hops: number): void {
  const forwarded = req.headers["x-forwarded-for"];
  const ip = clientIpFrom(req.socket?.remoteAddress, Array.isArray(forwarded) ? forwarded.join(",") : forwarded, hops);
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
  else delete req.headers[CLIENT_IP_HEADER];
}
