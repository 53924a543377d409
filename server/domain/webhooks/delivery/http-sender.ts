import { Agent, request } from "undici";
import type { WebhookConfig } from "../../../config";
import { guardedLookup, literalAddressRefused } from "../endpoints/url-policy";

/**
 * The HTTP side of a delivery, with undici: one keep-alive Agent per process, which keeps
 * a connection pool per origin (an endpoint's requests reuse warm connections). Redirects
 * are never followed. One deadline covers connecting, the response headers and reading
 * the body. Never throws: a request that got no answer comes back with `error` set.
 */

const RESPONSE_BODY_KEPT_BYTES = 2048;
/** read this much of a response at most (so the connection can be reused); beyond it, drop the connection */
const RESPONSE_BODY_DRAIN_BYTES = 64 * 1024;

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface WebhookResponse {
  /** null when no HTTP answer came back */
  status: number | null;
  retryAfter: string | null;
  /** the first 2 KB of the body, as text */
  body: string | null;
  durationMs: number;
  error?: unknown;
}

export class WebhookSender {
  private readonly agent: Agent;
  private readonly config: Pick<WebhookConfig, "strictUrls" | "allowedHosts">;

  constructor(config: Pick<WebhookConfig, "strictUrls" | "allowedHosts" | "timeoutMs">) {
    this.config = config;
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: Math.min(10_000, config.timeoutMs), lookup: guardedLookup(config) },
    });
  }

  async send(req: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(req.url);
    if (literalAddressRefused(url, this.config)) {
      const error = Object.assign(new Error(`Refused to connect to ${url.hostname}: an internal address.`), {
        code: "EHOLDFAST_INTERNAL_ADDRESS",
      });
      return { status: null, retryAfter: null, body: null, durationMs: elapsed(), error };
    }
    const signal = AbortSignal.timeout(req.timeoutMs);
    try {
      const response = await request(url, {
        method: "POST",
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        signal,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      // The status decides the outcome; the body is only kept for people to read, so a
      // body that stalls or breaks after the headers does not turn a 2xx into a failure.
      const chunks: Buffer[] = [];
      let kept = 0;
      let read = 0;
      try {
        for await (const chunk of response.body) {
          const buf = chunk as Buffer;
          read += buf.length;
          if (kept < RESPONSE_BODY_KEPT_BYTES) {
            const part = buf.subarray(0, RESPONSE_BODY_KEPT_BYTES - kept);
            chunks.push(part);
            kept += part.length;
          }
          if (read > RESPONSE_BODY_DRAIN_BYTES) {
            response.body.destroy();
            break;
          }
        }
      } catch {
        response.body.destroy();
      }
      const retryAfter = response.headers["retry-after"];
      return {
        status: response.statusCode,
        retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null),
        body: chunks.length ? storableText(Buffer.concat(chunks)) : "",
        durationMs: elapsed(),
      };
    } catch (error) {
      return { status: null, retryAfter: null, body: null, durationMs: elapsed(), error: signal.aborted ? signal.reason : error };
    }
  }

  /** Lets requests in flight finish for up to `graceMs`, then drops the connections. */
  async close(graceMs = 1000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.agent.close().then(() => true, () => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!closed) await this.agent.destroy().catch(() => undefined);
  }
}

/** Bytes as text PostgreSQL can store (no NUL); a cut multi-byte character becomes U+FFFD. */
function storableText(bytes: Buffer): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what text columns refuse
  return bytes.toString("utf8").replace(/\u0000/g, "\uFFFD");
}
