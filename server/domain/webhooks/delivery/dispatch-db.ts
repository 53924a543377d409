import pg from "pg";
import { databaseConfig } from "../../../config";
import { logger } from "../../../observability/logger";

/**
 * The dispatcher's own connection pool: plain `pg` for the few statements that run per
 * delivery (fan-out, claims, recording outcomes). At a thousand deliveries a second,
 * Prisma's per-query work (compiling, mapping parameters and rows) was the largest share
 * of the worker's CPU after HTTP itself; everything else in the webhooks domain (the
 * endpoint services, health) uses the Prisma client like the rest of the domain. Like the
 * rate limiter's pool, it follows DATABASE_URL.
 *
 * Statements time out after 15 s, and so does a transaction left idle: a stuck
 * transaction would hold back the fan-out's horizon (it only passes committed history).
 *
 * Commits here do not wait for the WAL flush (synchronous_commit=off): everything this
 * pool writes can be rebuilt, so the flush wait — the largest part of a batch's latency
 * — buys nothing. If the database server itself crashes, at most the last fraction of a
 * second of this bookkeeping is lost, never an event: a lost fan-out is redone from the
 * cursor (which moves in the same transaction), a lost lease or outcome looks like a
 * lapsed lease and the delivery is attempted again (a duplicate with the same
 * webhook-id, which consumers dedupe — delivery is at-least-once anyway). The events
 * themselves, and every change people make (endpoint services, replays' audit), commit
 * durably as usual.
 */

const state = globalThis as unknown as { holdfastDispatchPool?: { url: string; pool: pg.Pool } };

export function dispatchPool(): pg.Pool {
  const { url, dispatchPoolMax } = databaseConfig();
  if (!url) throw new Error("DATABASE_URL is not set: start Holdfast with npm start, or export DATABASE_URL.");
  if (state.holdfastDispatchPool?.url !== url) {
    const previous = state.holdfastDispatchPool?.pool;
    if (previous) void previous.end().catch(() => undefined);
    const pool = new pg.Pool({
      connectionString: url,
      max: dispatchPoolMax,
      statement_timeout: 15_000,
      idle_in_transaction_session_timeout: 15_000,
      options: "-c synchronous_commit=off",
    });
    pool.on("error", (error) => logger.warn({ err: error }, "webhook dispatcher: idle database connection failed"));
    state.holdfastDispatchPool = { url, pool };
  }
  return state.holdfastDispatchPool.pool;
}

export type Queryable = Pick<pg.PoolClient, "query">;

/** Runs `work` in a READ COMMITTED transaction on one of the pool's connections. */
export async function inDispatchTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await dispatchPool().connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function closeDispatchPool(): Promise<void> {
  const current = state.holdfastDispatchPool;
  state.holdfastDispatchPool = undefined;
  await current?.pool.end().catch(() => undefined);
}

/** Dates as parameters: ISO strings, so no client time zone is ever involved. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/**
 * A named (server-side prepared) statement: planned once per connection instead of on
 * every call — the per-delivery statements run hundreds of times a second.
 */
export function prepared<T extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  name: string,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<T>> {
  return db.query<T>({ name: `holdfast_webhooks_${name}`, text, values });
}
