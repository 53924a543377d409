import { expect, test } from "vitest";

// A fixture for test/harness.int.test.ts: runs only when HOLDFAST_HARNESS_FIXTURE names this folder.
test("a green unit test beside the red one", () => {
  expect(1 + 1).toBe(2);
});
