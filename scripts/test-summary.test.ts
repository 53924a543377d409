import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";

// scripts/test-summary.mjs is the last word of `npm test`: it must exit non-zero for
// every way a step can be red, and zero only when every report is green.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-summary-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function report(name: string, body: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === "string" ? body : JSON.stringify(body));
  return file;
}

function summary(files: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, ["scripts/test-summary.mjs", ...files], {
    encoding: "utf8",
    env: { ...process.env, FAILED_STEPS: "0", ...env },
  });
  return { status: run.status, out: run.stdout };
}

const vitestGreen = { numPassedTests: 3, numFailedTests: 0, numPendingTests: 1, numTodoTests: 0, numFailedTestSuites: 0, success: true };
const playwrightGreen = { stats: { expected: 2, unexpected: 0, flaky: 0, skipped: 0 }, errors: [] };

describe("test summary", () => {
  test("all green: exit 0 and the sums", () => {
    const run = summary([report("u.json", vitestGreen), report("e.json", playwrightGreen)]);
    expect(run.out).toContain("Tests: 5 passed, 0 failed, 1 skipped");
    expect(run.status).toBe(0);
  });

  test("a failed vitest test: exit 1", () => {
    const run = summary([report("u1.json", { ...vitestGreen, numFailedTests: 1, numFailedTestSuites: 1, success: false })]);
    expect(run.out).toContain("1 failed");
    expect(run.status).toBe(1);
  });

  test("a file that failed to load (no failed test, a failed suite): exit 1", () => {
    const run = summary([report("u2.json", { ...vitestGreen, numFailedTestSuites: 1, success: false })]);
    expect(run.status).toBe(1);
  });

  test("an unexpected Playwright result or a top-level error: exit 1", () => {
    expect(summary([report("e1.json", { ...playwrightGreen, stats: { ...playwrightGreen.stats, unexpected: 1 } })]).status).toBe(1);
    expect(summary([report("e2.json", { ...playwrightGreen, errors: [{ message: "webServer did not start" }] })]).status).toBe(1);
  });

  test("a missing or unreadable report: exit 1", () => {
    expect(summary([path.join(dir, "never-written.json")]).status).toBe(1);
    expect(summary([report("broken.json", "{ not json")]).status).toBe(1);
  });

  test("a step that failed without a failed test (typecheck, lint): exit 1", () => {
    const run = summary([report("u3.json", vitestGreen)], { FAILED_STEPS: "1" });
    expect(run.out).toContain("1 failed");
    expect(run.status).toBe(1);
  });
});
