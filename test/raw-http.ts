import net from "node:net";

/**
 * A raw HTTP/1.1 client on node:net for the body-limit tests: it writes exactly the bytes
 * it is told to (a lying Content-Length, a body in slow pieces) and records what came back
 * and when, which no HTTP client library lets a test do.
 */
export interface RawExchange {
  /** everything the server sent */
  received(): string;
  /** the status of the answer, once its status line is in */
  status(): number | null;
  /** resolves when the status line has arrived (rejects after `ms`) */
  answered(ms: number): Promise<number>;
  /** resolves when the server closed the connection (rejects after `ms`) */
  closed(ms: number): Promise<void>;
  /** writes more; false (and writes nothing) once the server answered or closed */
  write(bytes: string | Buffer): Promise<boolean>;
  /** bytes of body written so far */
  bodyBytesSent(): number;
  end(): void;
}

export async function rawRequest(port: number, head: string, host = "127.0.0.1"): Promise<RawExchange> {
  const socket = net.connect({ port, host });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let data = "";
  let closed = false;
  let sent = 0;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  socket.on("data", (chunk) => {
    data += chunk.toString("latin1");
    wake();
  });
  socket.on("error", () => undefined); // a reset after the answer is expected
  socket.on("close", () => {
    closed = true;
    wake();
  });
  socket.write(head);
  const status = () => {
    const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
    return match ? Number(match[1]) : null;
  };
  const until = (done: () => boolean, ms: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      const timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms; received so far: ${JSON.stringify(data.slice(0, 300))}`)), ms);
      check();
    });
  return {
    received: () => data,
    status,
    answered: async (ms) => {
      await until(() => status() !== null || closed, ms, "no answer");
      return status() ?? 0;
    },
    closed: (ms) => until(() => closed, ms, "the connection stayed open"),
    write: (bytes) =>
      new Promise<boolean>((resolve) => {
        if (closed || socket.destroyed || data.length > 0) return resolve(false);
        sent += Buffer.byteLength(bytes);
        socket.write(bytes, (error) => resolve(!error));
      }),
    bodyBytesSent: () => sent,
    end: () => socket.destroy(),
  };
}

/** The head of a request (the blank line included). */
export function requestHead(method: string, path: string, headers: Record<string, string>): string {
  return `${method} ${path} HTTP/1.1\r\nHost: localhost\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n")}\r\n\r\n`;
}
