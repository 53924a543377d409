import pg from "pg";
import { databaseConfig } from "../../config";
import { logger } from "../../observability/logger";

/**
 * The async-commit pool: plain `pg` for the few statements that run per delivery (the
 * webhook dispatcher's fan-out, claims, recording outcomes) and per partner API call (the
 * request log's row). At hundreds of them a second, Prisma's per-query work (compiling,
 * mapping parameters and rows) was the largest share of the process's CPU after HTTP
 * itself; everything else uses the Prisma client like the rest of the domain. Like the
 * rate limiter's pool, it follows DATABASE_URL.
 *
 * Statements time out after 15 s, and so does a transaction left idle: a stuck
 * transaction would hold back the fan-out's horizon (it only passes committed history).
 *
 * Commits here do not wait for the WAL flush (synchronous_commit=off): the flush wait is
 * the largest part of such a statement's latency, and what is written here either can be
 * rebuilt or is a record whose loss is bounded and said (docs/request-log.md). If the
 * database server itself crashes, at most the last fraction of a second of it is lost,
 * never an event or a booking: a lost fan-out is redone from the cursor (which moves in the
 * same transaction), a lost lease or outcome looks like a lapsed lease and the delivery is
 * attempted again (a duplicate with the same webhook-id, which consumers dedupe — delivery
 * is at-least-once anyway), and a lost request-log row is one of the last calls before the
 * crash. The events themselves, the work a call did and its stored answer, and every
 * change people make commit durably through Prisma as usual.
 */

const state = globalThis as unknown as { holdfastAsyncCommitPool?: { url: string; pool: pg.Pool } };

export function asyncCommitPool(): pg.Pool {
  const { url, dispatchPoolMax } = databaseConfig();
  if (!url) throw new Error("DATABASE_URL is not set: start Holdfast with npm start, or export DATABASE_URL.");
  if (state.holdfastAsyncCommitPool?.url !== url) {
    const previous = state.holdfastAsyncCommitPool?.pool;
    if (previous) void previous.end().catch(() => undefined);
    const pool = new pg.Pool({
      connectionString: url,
      max: dispatchPoolMax,
      statement_timeout: 15_000,
      idle_in_transaction_session_timeout: 15_000,
      options: "-c synchronous_commit=off",
    });
    pool.on("error", (error) => logger.warn({ err: error }, "async-commit pool: idle database connection failed"));
    state.holdfastAsyncCommitPool = { url, pool };
  }
  return state.holdfastAsyncCommitPool.pool;
}

export type Queryable = Pick<pg.PoolClient, "query">;

/** Runs `work` in a READ COMMITTED transaction on one of the pool's connections. */
export async function inAsyncCommitTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await asyncCommitPool().connect();
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

export async function closeAsyncCommitPool(): Promise<void> {
  const current = state.holdfastAsyncCommitPool;
  state.holdfastAsyncCommitPool = undefined;
  await current?.pool.end().catch(() => undefined);
}

/** Dates as parameters: ISO strings, so no client time zone is ever involved. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/**
 * A named (server-side prepared) statement: planned once per connection instead of on
 * every call — these statements run hundreds of times a second. Names are unique across
 * callers (the dispatcher's are short, the request log's start with `request_log_`).
 */
export function prepared<T extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  name: string,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<T>> {
  return db.query<T>({ name: `holdfast_${name}`, text, values });
}
