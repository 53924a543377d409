import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPartner, useOwnDatabase, type TestPartner } from "../../../../test/factories";
import { startReceiver, type Receiver } from "../../../../test/webhook-receiver";
import { getDb } from "../../../db";
import { ensureDatabaseExists } from "../../../database/embedded";
import { appendEvent } from "@/server/domain/shared/events";
import { inTransaction } from "@/server/domain/shared/transaction";
import { listEventFeed } from "../../events/list-event-feed";
import { readMetricsSnapshot } from "../../ops/metrics-snapshot";
import { createWebhookEndpoint } from "../endpoints/create-webhook-endpoint";
import { closeAsyncCommitPool } from "@/server/domain/shared/async-commit-db";
import { fanOutEvents } from "./fan-out-events";

/**
 * Fan-out progress with a long transaction open (docs/webhooks.md#the-outbox-horizon): a
 * transaction held open for HOLD_MS in another database, and a read-only one holding an
 * old snapshot in this database, do not keep newly committed events from the fan-out or
 * the feed for more than BOUND_MS; one of this database that has written an event still
 * holds them back until it commits, and then nothing is skipped.
 */

const HOLD_MS = 20_000;
const BOUND_MS = 5_000;

let dropDatabase: () => Promise<void>;
let receiver: Receiver;
let partner: TestPartner;
let endpointId: string;
let otherUrl: string;
let sharedUrl: string;

beforeAll(async () => {
  sharedUrl = process.env.DATABASE_URL!;
  dropDatabase = await useOwnDatabase("long_transaction");
  const other = new URL(sharedUrl);
  other.pathname = `/holdfast_other_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabaseExists(sharedUrl, other.pathname.slice(1));
  otherUrl = other.toString();
  receiver = await startReceiver();
  partner = await createPartner();
  endpointId = (await createWebhookEndpoint({ url: receiver.url, event_types: [] }, partner.actor)).endpoint.id;
});
afterAll(async () => {
  await receiver.close();
  await closeAsyncCommitPool();
  await dropDatabase();
  const admin = new pg.Client({ connectionString: sharedUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(otherUrl).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
});

async function emit(): Promise<string> {
  return inTransaction({}, (tx) =>
    appendEvent(tx, {
      type: "booking.confirmed",
      aggregateType: "booking",
      aggregateId: crypto.randomUUID(),
      aggregateVersion: 1,
      partnerId: partner.id,
      correlationId: `cor_${crypto.randomBytes(4).toString("hex")}`,
      data: {},
    }),
  );
}

async function fannedOut(eventId: string): Promise<boolean> {
  await fanOutEvents();
  return (await getDb().webhookDelivery.count({ where: { endpointId, eventId } })) === 1;
}

/** Commits an event every second while `open` is held, and returns how long each took to be fanned out and served on the feed. */
async function lagsWhileOpen(open: pg.Client): Promise<{ fanOut: number[]; feed: number[] }> {
  const fanOut: number[] = [];
  const feed: number[] = [];
  const until = Date.now() + HOLD_MS;
  let cursor: string | undefined;
  while (Date.now() < until) {
    const committed = Date.now();
    const id = await emit();
    let fanOutLag: number | null = null;
    let feedLag: number | null = null;
    while ((fanOutLag === null || feedLag === null) && Date.now() - committed < BOUND_MS * 2) {
      if (fanOutLag === null && (await fannedOut(id))) fanOutLag = Date.now() - committed;
      if (feedLag === null) {
        const served = await listEventFeed(partner.actor, { after: cursor, limit: 100 });
        if (served.some((e) => e.id === id)) {
          feedLag = Date.now() - committed;
          cursor = id;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    fanOut.push(fanOutLag ?? Infinity);
    feed.push(feedLag ?? Infinity);
    await open.query("SELECT 1"); // the long transaction is still there
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { fanOut, feed };
}

describe("the outbox horizon with a long transaction open", () => {
  it("a transaction held open in another database does not stall delivery", { timeout: 120_000 }, async () => {
    const other = new pg.Client({ connectionString: otherUrl });
    await other.connect();
    try {
      await other.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      await other.query("CREATE TABLE held (id int); INSERT INTO held VALUES (1)"); // it holds a transaction id
      const lags = await lagsWhileOpen(other);
      expect(lags.fanOut.length).toBeGreaterThanOrEqual(5);
      expect(lags.fanOut.filter((ms) => ms > BOUND_MS)).toEqual([]);
      expect(lags.feed.filter((ms) => ms > BOUND_MS)).toEqual([]);
      await other.query("ROLLBACK");
    } finally {
      await other.end();
    }
  });

  it("a read-only transaction holding an old snapshot in this database does not stall delivery", { timeout: 120_000 }, async () => {
    const same = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await same.connect();
    try {
      await same.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
      await same.query("SELECT count(*) FROM events");
      const lags = await lagsWhileOpen(same);
      expect(lags.fanOut.filter((ms) => ms > BOUND_MS)).toEqual([]);
      expect(lags.feed.filter((ms) => ms > BOUND_MS)).toEqual([]);
      await same.query("ROLLBACK");
    } finally {
      await same.end();
    }
  });

  it("an open transaction of this database that wrote an event holds later events back, and none is skipped", { timeout: 60_000 }, async () => {
    const writer = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await writer.connect();
    try {
      await writer.query("BEGIN");
      await writer.query(
        `INSERT INTO events (id, type, aggregate_type, aggregate_id, aggregate_version, partner_id, correlation_id, data)
         VALUES ('evt_longwriter0000000000000000', 'booking.held', 'booking', 'x', 1, $1, 'cor_long', '{}')`,
        [partner.id],
      );
      const later = await emit();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // the metric names the lag this transaction causes
      expect((await readMetricsSnapshot({ timeoutMs: 30_000 })).outboxHorizonAgeSeconds).toBeGreaterThanOrEqual(1.5);
      expect(await fannedOut(later)).toBe(false);
      expect((await listEventFeed(partner.actor, { limit: 1000 })).map((e) => e.id)).not.toContain(later);
      await writer.query("COMMIT");
      expect((await readMetricsSnapshot({ timeoutMs: 30_000 })).outboxHorizonAgeSeconds).toBeLessThan(1.5);
      expect(await fannedOut("evt_longwriter0000000000000000")).toBe(true);
      expect(await fannedOut(later)).toBe(true);
      const feed = (await listEventFeed(partner.actor, { limit: 1000 })).map((e) => e.id);
      expect(feed.indexOf("evt_longwriter0000000000000000")).toBeLessThan(feed.indexOf(later));
    } finally {
      await writer.end();
    }
  });
});
