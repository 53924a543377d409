import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";
import { embeddedUrl } from "../server/database/embedded";
import { buildIsCurrent } from "../scripts/lib/build-fingerprint";

/**
 * Issue #16 item 6: a clean SIGTERM of `npm run start:web`, `npm run start:worker` and
 * `npm start` exits 0 and prints no error. Each runs beside the e2e server, on the same
 * build and database (e2e/serve.ts's), on ports of its own, without demo mode so the demo
 * endpoints are not re-pointed.
 */

const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

function e2eDatabaseUrl(): string {
  if (!process.env.DATABASE_URL) return embeddedUrl(Number(process.env.E2E_PG_PORT ?? 54359), "holdfast_e2e");
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = "/holdfast_e2e";
  return url.toString();
}

async function startAndStop(script: string, port: number, ready: (out: string) => boolean | Promise<boolean>) {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      DATABASE_URL: e2eDatabaseUrl(),
      HOLDFAST_DEMO: "0",
      PORT: String(port),
      NEXTAUTH_URL: `http://localhost:${port}`,
      NEXTAUTH_SECRET: "shutdown-test-secret-shutdown-test-secret",
      HOLDFAST_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
      PAYMENT_WEBHOOK_SECRET: "whsec_dGVzdC1wYXltZW50LXNlY3JldC10ZXN0LXBheW1lbnQ=",
      HOLDFAST_WORKER_METRICS_PORT: "0",
      HOLDFAST_WEBHOOK_DISPATCH: "0",
      LOG_LEVEL: "info",
      NEXT_TELEMETRY_DISABLED: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 150_000;
  while (!(await ready(stdout))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${script} did not start: ${stderr || stdout.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  child.kill("SIGTERM");
  const result = await exited;
  // pino's JSON lines: level 50 is error, 60 fatal; the launchers' own failures start with ✖
  const errorLines = `${stdout}\n${stderr}`.split("\n").filter((line) => /"level":(50|60)/.test(line) || line.includes("✖") || /\berror\b/i.test(line));
  return { ...result, stderr, errorLines };
}

const webAnswers = (port: number) => async () => {
  try {
    return (await fetch(`http://localhost:${port}/api/health/live`)).ok;
  } catch {
    return false;
  }
};

test.describe("a clean SIGTERM", () => {
  test.setTimeout(240_000);

  test("of start:web exits 0 and prints no error", async () => {
    const result = await startAndStop("scripts/start-web.ts", E2E_PORT + 2, webAnswers(E2E_PORT + 2));
    expect(result).toMatchObject({ code: 0, signal: null, errorLines: [] });
    expect(result.stderr).toBe("");
  });

  test("of start:worker exits 0 and prints no error", async () => {
    const result = await startAndStop("scripts/start-worker.ts", E2E_PORT + 3, (out) => out.includes('"worker started"') || out.includes("worker metrics at"));
    expect(result).toMatchObject({ code: 0, signal: null, errorLines: [] });
    expect(result.stderr).toBe("");
  });

  test("of npm start exits 0 and prints no error", async () => {
    // never a build beside the running e2e server
    expect(buildIsCurrent()).toBe(true);
    const port = E2E_PORT + 4;
    const result = await startAndStop("scripts/start.ts", port, webAnswers(port));
    expect(result).toMatchObject({ code: 0, signal: null, errorLines: [] });
    expect(result.stderr).toBe("");
  });
});
