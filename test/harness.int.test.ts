import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";

/**
 * The proof that a red test fails the build: `npm test`'s own script (scripts/test.sh)
 * runs its unit and integration steps on a fixture suite under test/harness-fixtures/.
 * With one red integration test it must exit non-zero and say so; with all green, zero.
 * (Before the fix in server/database/embedded.ts, the red fixture exited 0.)
 */

const results = fs.mkdtempSync(path.join(os.tmpdir(), "holdfast-harness-"));
afterAll(() => fs.rmSync(results, { recursive: true, force: true }));

// A PostgreSQL of the fixture's own, beside this suite's.
const fixturePort = String(Number(process.env.HOLDFAST_TEST_PG_PORT ?? 54339) + 7);

/**
 * The environment a developer's shell gives `npm test`: without what vitest and
 * test/setup-env.ts put into this worker. DATABASE_URL above all: with it set, the
 * fixture would use this suite's server and never start (nor import) the embedded one,
 * whose exit hooks are what once hid a red test.
 */
function developerShellEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key === "DATABASE_URL" || key.startsWith("VITEST") || ["TEST", "NODE_ENV", "MODE", "DEV", "PROD", "SSR", "BASE_URL"].includes(key)) {
      delete env[key];
    }
  }
  return env;
}

function runTestScript(fixture: "red" | "green"): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["scripts/test.sh"], {
      env: {
        ...developerShellEnv(),
        HOLDFAST_HARNESS_FIXTURE: fixture,
        HOLDFAST_TEST_STEPS: "unit,integration",
        HOLDFAST_TEST_RESULTS: path.join(results, fixture),
        HOLDFAST_TEST_PG_PORT: fixturePort,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

// Two vitest start-ups and an embedded PostgreSQL each: seconds when idle, a minute or
// more on a 2-core machine busy with the rest of the suite.
const BUDGET_MS = 240_000;

describe("npm test's own script", () => {
  test(
    "fails when one integration test is red",
    async () => {
      const run = await runTestScript("red");
      expect(run.output).toContain("a red integration test");
      expect(run.output).toMatch(/✖ integration tests failed/);
      expect(run.output).toMatch(/Tests: 1 passed, 1 failed/);
      expect(run.output).not.toContain("All checks passed");
      expect(run.code, run.output.slice(-2000)).toBe(1);
    },
    BUDGET_MS,
  );

  test(
    "passes when every test is green",
    async () => {
      const run = await runTestScript("green");
      expect(run.output).toMatch(/Tests: 2 passed, 0 failed/);
      expect(run.output).toContain("All checks passed");
      expect(run.code, run.output.slice(-2000)).toBe(0);
    },
    BUDGET_MS,
  );
});

/** scripts/test.sh's promtool step alone (no vitest, no database): seconds. */
function runPromtoolStep(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["scripts/test.sh"], {
      env: { ...developerShellEnv(), HOLDFAST_TEST_STEPS: "promtool", HOLDFAST_TEST_RESULTS: path.join(results, "promtool"), ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("npm test's promtool step (ops/prometheus)", () => {
  test("passes on the repository's alerts and their unit tests", async () => {
    const run = await runPromtoolStep({});
    expect(run.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(run.code, run.output.slice(-2000)).toBe(0);
  }, 60_000);

  test("fails when an expected value in alerts.test.yml is wrong", async () => {
    const dir = fs.mkdtempSync(path.join(results, "rules-"));
    fs.copyFileSync("ops/prometheus/alerts.yml", path.join(dir, "alerts.yml"));
    const tests = fs.readFileSync("ops/prometheus/alerts.test.yml", "utf8");
    const broken = tests.replace("subject_label: \"Workers\", severity: CRITICAL", "subject_label: \"Workers\", severity: HIGH");
    expect(broken).not.toBe(tests);
    fs.writeFileSync(path.join(dir, "alerts.test.yml"), broken);
    const run = await runPromtoolStep({ HOLDFAST_PROMETHEUS_RULES_DIR: dir });
    expect(run.output).toMatch(/FAILED:[\s\S]*no_worker_heartbeat/);
    expect(run.output).toMatch(/✖ promtool \(alerts\.yml\) failed/);
    expect(run.code).toBe(1);
  }, 60_000);

  test("fails, not skips, when promtool is missing", async () => {
    const run = await runPromtoolStep({ HOLDFAST_PROMTOOL: path.join(results, "no-such-promtool") });
    expect(run.output).toContain("promtool not found");
    expect(run.output).not.toContain("All checks passed");
    expect(run.code).toBe(1);
  }, 60_000);
});
