import pg from "pg";
import { expect, inject, test } from "vitest";

// A fixture for test/harness.int.test.ts: one deliberately red integration test. The
// harness test runs it the way `npm test` does and expects the build to fail.
test("a red integration test", async () => {
  const client = new pg.Client({ connectionString: inject("databaseUrl") });
  await client.connect();
  const { rows } = await client.query<{ one: number }>("select 1 as one");
  await client.end();
  expect(rows[0]?.one, "this fixture fails on purpose").toBe(2);
});
