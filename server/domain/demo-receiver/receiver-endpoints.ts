import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { getDb } from "../../db";
import { logger } from "../../observability/logger";
import { decryptSecret } from "@/server/domain/shared/secrets";

/**
 * The demo partner receiver's side of the webhook contract: which of Holdfast's webhook
 * endpoints point at this receiver URL, verifying a delivery with their secrets (as a
 * partner would with the secret it was shown once), and counting deliveries per
 * webhook-id in PostgreSQL.
 */

const RECEIVER_PATH = "/api/demo-receiver";

export function receiverPath(partnerCode: string): string {
  return `${RECEIVER_PATH}/${encodeURIComponent(partnerCode)}`;
}

/** Query strings compared as sorted key=value pairs: `?a=1&b=2` is `?b=2&a=1`. */
function canonicalQuery(params: URLSearchParams): string {
  return [...params.entries()]
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join("&");
}

interface EndpointRow {
  id: string;
  url: string;
  secretCiphertext: string;
  previousSecretCiphertext: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * The partner's live endpoints whose URL is this receiver URL: same path and same query
 * (the host is not compared: the dispatcher may reach the app as localhost, 127.0.0.1 or
 * its public name).
 */
async function endpointsPointingHere(partnerCode: string, query: URLSearchParams): Promise<EndpointRow[]> {
  const path = receiverPath(partnerCode);
  const rows = await getDb().webhookEndpoint.findMany({
    where: { deletedAt: null, partner: { code: partnerCode }, url: { contains: path } },
    select: { id: true, url: true, secretCiphertext: true, previousSecretCiphertext: true, previousSecretExpiresAt: true },
    orderBy: { createdAt: "asc" },
  });
  const wanted = canonicalQuery(query);
  return rows.filter((row) => {
    let url: URL;
    try {
      url = new URL(row.url);
    } catch {
      return false;
    }
    return url.pathname === path && canonicalQuery(url.searchParams) === wanted;
  });
}

function secretsOf(endpoint: EndpointRow, now: Date): string[] {
  const secrets = [endpoint.secretCiphertext];
  // The old secret stays valid for its rotation window (docs/webhooks.md#secret-rotation),
  // as when signing.
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
    secrets.push(endpoint.previousSecretCiphertext);
  }
  return secrets.flatMap((ciphertext) => {
    try {
      return [decryptSecret(ciphertext)];
    } catch (error) {
      logger.warn({ err: error, endpointId: endpoint.id }, "demo receiver: an endpoint secret cannot be decrypted");
      return [];
    }
  });
}

export interface DeliveryHeaders {
  id: string | null;
  timestamp: string | null;
  signature: string | null;
}

export type Verification =
  | { kind: "no-endpoint" }
  | { kind: "rejected"; reason: string }
  | { kind: "verified"; endpointId: string; webhookId: string };

/**
 * Standard Webhooks verification (5-minute timestamp tolerance) against every secret of
 * every endpoint pointing here; the first that matches names the endpoint.
 */
export async function verifyDemoDelivery(input: {
  partnerCode: string;
  query: URLSearchParams;
  rawBody: string;
  headers: DeliveryHeaders;
  now?: Date;
}): Promise<Verification> {
  const endpoints = await endpointsPointingHere(input.partnerCode, input.query);
  if (!endpoints.length) return { kind: "no-endpoint" };
  const { id, timestamp, signature } = input.headers;
  if (!id || !timestamp || !signature) return { kind: "rejected", reason: "Missing webhook-id, webhook-timestamp or webhook-signature." };
  if (!/^[\x21-\x7e]{1,255}$/.test(id)) return { kind: "rejected", reason: "The webhook-id header is not 1–255 visible ASCII characters." };
  let reason = "No webhook-signature matches the body.";
  for (const endpoint of endpoints) {
    for (const secret of secretsOf(endpoint, input.now ?? new Date())) {
      try {
        new Webhook(secret).verify(input.rawBody, { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature }, { jsonParse: false });
        return { kind: "verified", endpointId: endpoint.id, webhookId: id };
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        if (error.message !== "No matching signature found") reason = `Signature verification failed: ${error.message}.`;
      }
    }
  }
  return { kind: "rejected", reason };
}

const KEEP_DAYS = 7;

/**
 * Counts one more delivery of a webhook-id to an endpoint (atomically: concurrent
 * deliveries each get their own number) and returns the count, 1 for the first.
 * Rows older than a week — longer than the whole retry schedule — are pruned.
 */
export async function countDemoDelivery(input: {
  endpointId: string;
  webhookId: string;
  partnerCode: string;
  eventType: string | null;
}): Promise<number> {
  const db = getDb();
  const rows = await db.$queryRaw<{ hits: number }[]>`
    INSERT INTO demo_receiver_hits (endpoint_id, webhook_id, partner_code, event_type)
    VALUES (${input.endpointId}, ${input.webhookId}, ${input.partnerCode}, ${input.eventType})
    ON CONFLICT (endpoint_id, webhook_id) DO UPDATE
      SET hits = demo_receiver_hits.hits + 1,
          last_at = now(),
          event_type = coalesce(EXCLUDED.event_type, demo_receiver_hits.event_type)
    RETURNING hits`;
  await db.$executeRaw`DELETE FROM demo_receiver_hits WHERE last_at < now() - make_interval(days => ${KEEP_DAYS})`;
  return rows[0]!.hits;
}

export async function recordDemoAnswer(endpointId: string, webhookId: string, status: number): Promise<void> {
  await getDb().demoReceiverHit.updateMany({ where: { endpointId, webhookId }, data: { lastStatus: status } });
}

export interface DemoHitView {
  webhook_id: string;
  endpoint_id: string;
  event_type: string | null;
  deliveries: number;
  last_status: number | null;
  first_at: string;
  last_at: string;
}

/** The latest webhook-ids a demo partner received, newest first (for the demo to show). */
export async function listDemoHits(partnerCode: string, limit = 50): Promise<DemoHitView[]> {
  const rows = await getDb().demoReceiverHit.findMany({
    where: { partnerCode },
    orderBy: { lastAt: "desc" },
    take: limit,
  });
  return rows.map((r) => ({
    webhook_id: r.webhookId,
    endpoint_id: r.endpointId,
    event_type: r.eventType,
    deliveries: r.hits,
    last_status: r.lastStatus,
    first_at: r.firstAt.toISOString(),
    last_at: r.lastAt.toISOString(),
  }));
}
