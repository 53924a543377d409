import crypto from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../db";
import { closeRateLimitPool, consumeInboundRejection, consumeRateLimit } from "./consume";

/**
 * The limiters' own connection pool outlives the server ending its idle connections (a
 * PostgreSQL restart, a terminated backend, a dropped test database): without an error
 * listener on the pool, that error would be uncaught and end the process.
 */
afterAll(async () => {
  await closeRateLimitPool();
  await disconnectDb();
});

describe("rate limits' database pool", () => {
  it("keeps counting after the server terminates its idle connections", async () => {
    const key = crypto.randomUUID();
    expect((await consumeRateLimit(key, "read", 10)).remaining).toBe(9);
    await consumeInboundRejection(`198.51.100.${Math.floor(Math.random() * 250)}`);
    const ended = await getDb().$queryRaw<{ n: number }[]>`
      SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'holdfast-rate-limits'`;
    expect(ended[0]!.n).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await consumeRateLimit(key, "read", 10)).remaining).toBe(8);
  });
});
