import pg from "pg";
import { expect, inject, test } from "vitest";

// A fixture for test/harness.int.test.ts: a green integration test against the real
// PostgreSQL that the integration global setup starts (so the embedded server's import,
// whose exit hooks once hid failures, is part of what is proven).
test("a green integration test", async () => {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  const { rows } = await client.query<{ one: number }>("select 1 as one");
  await client.end();
  expect(rows[0]?.one).toBe(1);
});
