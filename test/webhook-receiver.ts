import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A partner's webhook receiver on loopback (node:http on 127.0.0.1:0), for tests that
 * deliver real HTTP: it records every request and answers as the test says — a status,
 * headers, a delay, or never (to prove timeouts).
 */

export interface ReceivedWebhook {
  /** path and query the request was sent to */
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Date.now() when the request arrived */
  at: number;
}

export interface ReceiverAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** answer after this many ms */
  delayMs?: number;
  /** never answer (the connection is closed when the receiver closes) */
  hang?: boolean;
}

export interface Receiver {
  url: string;
  requests: ReceivedWebhook[];
  /** most requests open at the same time */
  maxConcurrent: number;
  close(): Promise<void>;
}

export async function startReceiver(
  answer: (request: ReceivedWebhook, index: number) => ReceiverAnswer | Promise<ReceiverAnswer> = () => ({ status: 204 }),
): Promise<Receiver> {
  const requests: ReceivedWebhook[] = [];
  let open = 0;
  const state = { maxConcurrent: 0 };
  const server = http.createServer(async (req, res) => {
    open++;
    state.maxConcurrent = Math.max(state.maxConcurrent, open);
    res.on("close", () => open--);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
    const received: ReceivedWebhook = { path: req.url ?? "/", headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
    const index = requests.push(received) - 1;
    const reply = await answer(received, index);
    if (reply.hang) return;
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    res.writeHead(reply.status ?? 204, reply.headers ?? {});
    res.end(reply.body ?? "");
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/holdfast`,
    requests,
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
