import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { appBaseUrl, configure } from "../../server/config";
import { decideReaction, parseBehaviour, type Reaction } from "../../server/domain/demo-receiver/behaviour";
import { receiverPath } from "../../server/domain/demo-receiver/receiver-endpoints";
import { newId } from "../../server/domain/shared/ids";
import { encryptSecret } from "../../server/domain/shared/secrets";
import { attemptClaimed } from "../../server/domain/webhooks/delivery/attempt-delivery";
import { claimDueDeliveries, type ClaimedDelivery } from "../../server/domain/webhooks/delivery/claim-deliveries";
import { closeAsyncCommitPool } from "../../server/domain/shared/async-commit-db";
import { fanOutCommitted } from "../../server/domain/webhooks/delivery/fan-out-events";
import { WebhookSender } from "../../server/domain/webhooks/delivery/http-sender";
import { AttemptRecorder } from "../../server/domain/webhooks/delivery/record-attempts";
import { generateEndpointSecret } from "../../server/domain/webhooks/delivery/signing";
import type { PrismaClient } from "../../server/generated/prisma/client";
import { DEMO_PARTNER_CODES, type DemoPartnerCode } from "./catalog";
import { createRandom, seedFor } from "./random";
import type { SeedRefs } from "./steps";

/**
 * The demo's webhooks: one endpoint per demo partner, pointing at the in-app demo
 * receiver (/api/demo-receiver/{PARTNER}) with a temperament in its query string
 * (server/domain/demo-receiver/behaviour.ts), and a delivered history for the last
 * DELIVERED_HOURS made by the real dispatcher code — the outbox fan-out, claims with
 * leases, signing, HTTP, the retry schedule, outcomes recorded in group commits.
 *
 * The web server is not running while the seed runs, so the seed serves the receivers
 * itself on a loopback port of its own and the claimed deliveries are sent there
 * instead of to the endpoint's URL (the only difference from a live delivery). It
 * answers as the demo receiver would for the URL's query string (the same
 * decideReaction), checks each signature, and plays one partner outage: PHONEDESK's
 * receiver is down (503) from the start of the window until OUTAGE_ENDS_HOURS before
 * now, long enough for the schedule to dead-letter its first deliveries.
 *
 * Time is simulated, as in the booking history: the fan-out's deliveries start when
 * their event was committed, and the clock jumps from one due attempt to the next, so
 * a day and a half of retries (5 s, 5 min, 30 min, 2 h, 5 h, 10 h …) takes seconds. What
 * is still RETRYING at "now" is left for the worker, which sends it to the running app.
 * Older history (the booking history's first ~88 days) was never delivered: the endpoints
 * were created after it, and the fan-out only delivers what happened after an endpoint
 * existed.
 */

export const WEBHOOKS_STEP_NAME = "webhooks";
/** how much of the booking history is delivered to the demo endpoints */
export const DELIVERED_HOURS = 48;
/** PHONEDESK's outage (from the start of the window) ends this many hours before now */
const OUTAGE_ENDS_HOURS = 12;
/** the simulated clock's largest step */
const STEP_MS = 30 * 60_000;
/** a hang in the seed is cut at this (a live hang waits for the 15 s timeout) */
const SEED_TIMEOUT_MS = 1000;

/** Each demo partner's receiver temperament (the endpoint URL's query string). */
export const DEMO_RECEIVER_BEHAVIOUR: Record<DemoPartnerCode, string> = {
  // mostly fine; some 5xx and the occasional 429 with Retry-After
  MARKETPLACE: "fail=0.06&throttle=0.02&retry_after=5&latency_ms=30",
  // flaky: one in five deliveries fails, a few hang past the timeout
  PHONEDESK: "fail=0.2&hang=0.01&latency_ms=60",
  // healthy
  WEBSITE: "latency_ms=15",
};

const DESCRIPTIONS: Record<DemoPartnerCode, string> = {
  MARKETPLACE: "Demo receiver: StowCompare's booking sync (some 5xx, occasional 429)",
  PHONEDESK: "Demo receiver: phone desk CRM (flaky; was down yesterday)",
  WEBSITE: "Demo receiver: website cache (healthy)",
};

export { appBaseUrl };

function demoEndpointUrl(baseUrl: string, partner: DemoPartnerCode): string {
  return `${baseUrl}${receiverPath(partner)}?${DEMO_RECEIVER_BEHAVIOUR[partner]}`;
}

/**
 * Points the demo endpoints at the app's current address (npm start calls this on every
 * start in demo mode: PORT may differ from the seed's). Only endpoints whose path is the
 * demo receiver's are touched.
 */
export async function repointDemoEndpoints(db: PrismaClient, baseUrl = appBaseUrl()): Promise<number> {
  const endpoints = await db.webhookEndpoint.findMany({
    where: { deletedAt: null, url: { contains: "/api/demo-receiver/" } },
    select: { id: true, url: true },
  });
  let changed = 0;
  for (const endpoint of endpoints) {
    const url = new URL(endpoint.url);
    const next = `${baseUrl}${url.pathname}${url.search}`;
    if (next === endpoint.url) continue;
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { url: next } });
    changed++;
  }
  return changed;
}

export interface WebhooksSummary {
  endpoints: number;
  deliveries: number;
  attempts: number;
  byStatus: Record<"PENDING" | "RETRYING" | "SUCCEEDED" | "DEAD", number>;
  durationMs: number;
}

export interface WebhooksOptions {
  /** the database the seed writes (the dispatcher's statements run on a pool of their own) */
  databaseUrl: string | undefined;
  /** the end of the history (the booking history's now) */
  now: Date;
  baseUrl?: string;
  progress?: (done: number, total: number) => void;
}

export async function seedWebhooks(db: PrismaClient, refs: SeedRefs, options: WebhooksOptions): Promise<WebhooksSummary> {
  const started = Date.now();
  const baseUrl = options.baseUrl ?? appBaseUrl();
  const now = options.now.getTime();
  const windowStart = now - DELIVERED_HOURS * 3_600_000;
  const secrets = new Map<string, { partner: DemoPartnerCode; secret: string }>();

  for (const partner of DEMO_PARTNER_CODES) {
    const id = newId("ep", windowStart);
    const secret = generateEndpointSecret();
    await db.webhookEndpoint.create({
      data: {
        id,
        partnerId: refs.partnerIds[partner],
        url: demoEndpointUrl(baseUrl, partner),
        description: DESCRIPTIONS[partner],
        maxConcurrency: 8,
        secretCiphertext: encryptSecret(secret),
        // created before the window: the fan-out delivers what happened after that
        createdAt: new Date(windowStart),
      },
    });
    secrets.set(id, { partner, secret });
  }

  const byStatus = { PENDING: 0, RETRYING: 0, SUCCEEDED: 0, DEAD: 0 };
  if (!options.databaseUrl) {
    return { endpoints: secrets.size, deliveries: 0, attempts: 0, byStatus, durationMs: Date.now() - started };
  }

  // The dispatcher's pool follows DATABASE_URL: point it at the seed's database meanwhile.
  const restoreConfig = configure({ DATABASE_URL: options.databaseUrl });
  const receiver = await startSeedReceiver(secrets, { now });
  // The seed's receiver stands in for the app's own demo receiver: the one internal destination a demo may have.
  const sender = new WebhookSender({ strictUrls: false, allowedHosts: new Set(), demoReceiver: receiver.base, timeoutMs: SEED_TIMEOUT_MS });
  const recorder = new AttemptRecorder();
  const jitter = createRandom(seedFor("webhooks"));
  const random = () => jitter.next();
  let attempts = 0;
  try {
    await fanOutCommitted({ now: new Date(windowStart) });
    // Each delivery became due when its event committed (plus the fan-out's few ms), and
    // no later than the seed's "now": an event of the last fraction of a second (or one
    // written after "now" was taken) would otherwise be due after the loop below stops,
    // and stay PENDING.
    const dueBy = new Date(now);
    await db.$executeRaw`
      UPDATE webhook_deliveries d
      SET created_at = least(e.created_at + make_interval(secs => 0.02 + random() * 0.2), ${dueBy}),
          next_attempt_at = least(e.created_at + make_interval(secs => 0.02 + random() * 0.2), ${dueBy})
      FROM events e
      WHERE e.id = d.event_id AND d.endpoint_id = ANY(${[...secrets.keys()]}::text[])`;
    const [row] = await db.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS total FROM webhook_deliveries WHERE endpoint_id = ANY(${[...secrets.keys()]}::text[])`;
    const total = row?.total ?? 0;
    options.progress?.(0, total);

    // The clock moves in steps of up to STEP_MS: everything due in a step is claimed at
    // once and each attempt is made at its own due time (its `now`), so the HTTP waits
    // of a step overlap and the seed stays fast.
    const endpointIds = [...secrets.keys()];
    let clock = windowStart;
    for (;;) {
      const horizon = Math.min(clock + STEP_MS, now);
      const due = await db.$queryRaw<{ id: string; at: Date }[]>`
        SELECT id, next_attempt_at AS at FROM webhook_deliveries
        WHERE endpoint_id = ANY(${endpointIds}::text[]) AND status IN ('PENDING', 'RETRYING') AND next_attempt_at <= ${new Date(horizon)}`;
      const dueAt = new Map(due.map((d) => [d.id, d.at.getTime()]));
      const claimed = due.length ? await claimDueDeliveries({ limit: 500, now: new Date(horizon), leaseMs: SEED_TIMEOUT_MS + 60_000 }) : [];
      if (claimed.length) {
        await Promise.all(
          claimed.map((delivery: ClaimedDelivery) =>
            attemptClaimed(
              { ...delivery, endpoint: { ...delivery.endpoint, url: receiver.urlFor(delivery.endpoint.url) } },
              { trigger: null, now: new Date(dueAt.get(delivery.id) ?? horizon), timeoutMs: SEED_TIMEOUT_MS, sender, recorder, random },
            ),
          ),
        );
        await recorder.drained();
        attempts += claimed.length;
        continue;
      }
      const [next] = await db.$queryRaw<{ at: Date | null }[]>`
        SELECT min(greatest(d.next_attempt_at, coalesce(ep.throttled_until, d.next_attempt_at))) AS at
        FROM webhook_deliveries d JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
        WHERE d.endpoint_id = ANY(${endpointIds}::text[]) AND ep.status = 'ACTIVE' AND d.status IN ('PENDING', 'RETRYING')
          AND d.next_attempt_at IS NOT NULL`;
      if (!next?.at || next.at.getTime() > now) break;
      clock = Math.max(horizon, next.at.getTime());
      options.progress?.(Math.round(((clock - windowStart) / (now - windowStart)) * total), total);
    }
    await recorder.drained();
    options.progress?.(total, total);

    const counts = await db.$queryRaw<{ status: keyof typeof byStatus; n: number }[]>`
      SELECT status::text AS status, count(*)::int AS n FROM webhook_deliveries
      WHERE endpoint_id = ANY(${[...secrets.keys()]}::text[]) GROUP BY status`;
    for (const c of counts) byStatus[c.status] = c.n;
    return { endpoints: secrets.size, deliveries: total, attempts, byStatus, durationMs: Date.now() - started };
  } finally {
    await sender.close();
    await receiver.close();
    await closeAsyncCommitPool();
    restoreConfig();
  }
}

interface SeedReceiver {
  /** the receiver's origin, http://127.0.0.1:{port} */
  base: string;
  urlFor(endpointUrl: string): string;
  close(): Promise<void>;
}

/**
 * The demo receivers while the app is not up: same paths and query strings, same
 * reactions (decideReaction on the URL's behaviour), signatures checked against the
 * endpoint's secret at the simulated time.
 */
async function startSeedReceiver(
  secrets: Map<string, { partner: DemoPartnerCode; secret: string }>,
  window: { now: number },
): Promise<SeedReceiver> {
  const draws = createRandom(seedFor("demo-receiver"));
  const random = () => draws.next();
  const hits = new Map<string, number>();
  const verifiers = new Map([...secrets.values()].map((s) => [s.partner, new Webhook(s.secret)]));
  const outageEnds = window.now - OUTAGE_ENDS_HOURS * 3_600_000;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://seed");
    const partner = decodeURIComponent(url.pathname.split("/").pop() ?? "") as DemoPartnerCode;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(payload));
    };
    const id = String(req.headers["webhook-id"] ?? "");
    const timestamp = Number(req.headers["webhook-timestamp"]);
    const verifier = verifiers.get(partner);
    const expected = verifier && Number.isFinite(timestamp) ? verifier.sign(id, new Date(timestamp * 1000), body).split(",")[1] : null;
    const given = String(req.headers["webhook-signature"] ?? "")
      .split(" ")
      .map((s) => s.split(",")[1]);
    if (!expected || !given.includes(expected)) return send(401, { error: "invalid_signature" });

    // the request's own (simulated) time
    if (partner === "PHONEDESK" && timestamp * 1000 < outageEnds) {
      return send(503, { error: "service_unavailable", detail: "Phone desk CRM is down for an unplanned outage." });
    }
    const behaviour = parseBehaviour(url.searchParams);
    if (!behaviour.ok) return send(400, { error: "bad_receiver_options", detail: behaviour.message });
    const key = `${partner}|${id}`;
    const count = (hits.get(key) ?? 0) + 1;
    hits.set(key, count);
    const reaction: Reaction = decideReaction(behaviour.behaviour, count, random);
    const about = { webhook_id: id, deliveries: count };
    await new Promise((r) => setTimeout(r, behaviour.behaviour.latency_ms));
    switch (reaction.kind) {
      case "ok":
        return send(200, { received: true, ...about });
      case "hang":
        return; // the sender gives up at its timeout and closes the connection
      case "fail":
        return send(reaction.status, { error: "simulated_failure", deterministic: reaction.deterministic, ...about });
      case "gone":
        return send(410, { error: "gone", ...about });
      case "throttle":
        return send(429, { error: "throttled", ...about }, { "retry-after": String(reaction.retryAfterSeconds) });
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    urlFor(endpointUrl) {
      const url = new URL(endpointUrl);
      return `http://127.0.0.1:${port}${url.pathname}${url.search}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
