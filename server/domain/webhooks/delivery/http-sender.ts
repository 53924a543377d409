import { Agent, request } from "undici";
import type { WebhookConfig } from "../../../config";
import { deliveryDestination, guardedLookup, systemResolver, type Resolver, type UrlPolicy } from "../endpoints/url-policy";

/**
 * The HTTP side of a delivery, with undici: one keep-alive Agent per process, which keeps
 * a connection pool per origin (an endpoint's requests reuse warm connections). Redirects
 * are never followed. One deadline covers connecting, the response headers and reading
 * the body. Never throws: a request that got no answer comes back with `error` set.
 *
 * Every request passes the destination rule first (docs/webhooks.md#where-webhooks-may-be-sent):
 * the URL as written, then every address its name resolves to, checked inside the
 * connector's own lookup so the socket connects only to addresses that passed. The
 * exempt destinations (allow-listed hosts, the demo receiver in demo mode) use a second
 * Agent without that check.
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
  private readonly exemptAgent: Agent;
  private readonly config: UrlPolicy;

  /** `resolve` is node's DNS unless a test passes its own (to re-point a name between checks). */
  constructor(config: Pick<WebhookConfig, "strictUrls" | "allowedHosts" | "demoReceiver" | "timeoutMs">, options: { resolve?: Resolver } = {}) {
    this.config = config;
    const base = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 };
    const connectTimeout = Math.min(10_000, config.timeoutMs);
    const resolve = options.resolve ?? systemResolver;
    this.agent = new Agent({ ...base, connect: { timeout: connectTimeout, lookup: guardedLookup(config, resolve) } });
    this.exemptAgent = new Agent({ ...base, connect: { timeout: connectTimeout, lookup: guardedLookup("exempt", resolve) } });
  }

  async send(req: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const destination = deliveryDestination(req.url, this.config);
    if ("refused" in destination) return { status: null, retryAfter: null, body: null, durationMs: elapsed(), error: destination.refused };
    const url = new URL(req.url);
    const signal = AbortSignal.timeout(req.timeoutMs);
    try {
      const response = await request(url, {
        method: "POST",
        headers: req.headers,
        body: req.body,
        dispatcher: destination.exempt ? this.exemptAgent : this.agent,
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
    await Promise.all([closeAgent(this.agent, graceMs), closeAgent(this.exemptAgent, graceMs)]);
  }
}

async function closeAgent(agent: Agent, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    agent.close().then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!closed) await agent.destroy().catch(() => undefined);
}

/** Bytes as text PostgreSQL can store (no NUL); a cut multi-byte character becomes U+FFFD. */
function storableText(bytes: Buffer): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what text columns refuse
  return bytes.toString("utf8").replace(/\u0000/g, "\uFFFD");
}
