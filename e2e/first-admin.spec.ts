import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { embeddedUrl } from "../server/database/embedded";
import { NO_ADMIN_NOTICE } from "../scripts/lib/first-admin-notice";
import { signIn, snap } from "./fixtures";

/**
 * Issue #13 items 1–3: a production install from an EMPTY database. `npm run start:web`
 * runs beside the e2e server (same build, same PostgreSQL server, a database of its own,
 * HOLDFAST_DEMO=0, port E2E_PORT + 1): it migrates, says how to create the first admin,
 * and serves a sign-in page nobody can pass yet; `npm run admin:create` makes the admin,
 * who then signs in on /login and administers the console (docs/operations.md#going-live).
 */

const PORT = Number(process.env.E2E_PORT ?? 3100) + 1;
const BASE = `http://localhost:${PORT}`;
const DATABASE = "holdfast_e2e_production";
const ADMIN = { email: "owner@example.com", name: "Olga Owner", password: "first-admin-e2e-password" };

function serverUrl(): string {
  return process.env.DATABASE_URL ?? embeddedUrl(Number(process.env.E2E_PG_PORT ?? 54359), "postgres");
}
function databaseUrl(): string {
  const url = new URL(serverUrl());
  url.pathname = `/${DATABASE}`;
  return url.toString();
}
async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The environment of a production install: its own secrets, no demo. */
const productionEnv = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl(),
  HOLDFAST_DEMO: "0",
  PORT: String(PORT),
  NEXTAUTH_URL: BASE,
  NEXTAUTH_SECRET: "first-admin-e2e-secret-first-admin-e2e-secret",
  HOLDFAST_ENCRYPTION_KEY: Buffer.alloc(32, 11).toString("base64"),
  PAYMENT_WEBHOOK_SECRET: "whsec_Zmlyc3QtYWRtaW4tZTJlLXBheW1lbnQtc2VjcmV0",
  HOLDFAST_WORKER_METRICS_PORT: "0",
  LOG_LEVEL: "warn",
  NEXT_TELEMETRY_DISABLED: "1",
});

function adminCreate(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/admin-create.ts", "--email", ADMIN.email, "--name", ADMIN.name, "--password-stdin"],
      { env: productionEnv(), stdio: ["pipe", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
    child.stdin.end(`${ADMIN.password}\n`);
  });
}

let web: ChildProcess | undefined;
let webOutput = "";

test.describe("a production install from an empty database", () => {
  test.describe.configure({ mode: "serial", timeout: 240_000 });
  test.use({ baseURL: BASE });

  test.beforeAll(async () => {
    await onServer(`drop database if exists ${DATABASE} with (force)`);
    await onServer(`create database ${DATABASE}`);
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start-web.ts"], { env: productionEnv(), stdio: ["ignore", "pipe", "pipe"] });
    web = child;
    child.stdout.on("data", (chunk: Buffer) => (webOutput += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (webOutput += chunk.toString()));
    const deadline = Date.now() + 180_000;
    for (;;) {
      const live = await fetch(`${BASE}/api/health/live`).then((r) => r.ok, () => false);
      if (live) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`start:web did not start: ${webOutput.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  test.afterAll(async () => {
    const child = web;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await onServer(`drop database if exists ${DATABASE} with (force)`);
  });

  test("the start says how to create the first admin, and the sign-in page works but lets nobody in", async ({ page }) => {
    expect(webOutput).toContain(NO_ADMIN_NOTICE);

    // the console sends a visitor to sign in
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Sign in to the operations console" })).toBeVisible();
    await snap(page, "production-empty-login");

    // no demo account exists here
    await page.getByLabel("Email").fill("admin@demo.holdfast");
    await page.getByLabel("Password").fill("holdfast-demo");
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page.getByRole("alert").filter({ hasText: "That email and password do not match an active account." })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  test("the admin made by npm run admin:create signs in on /login and sees the admin screens", async ({ page }) => {
    const created = await adminCreate();
    expect(created, created.output).toMatchObject({ code: 0 });
    expect(created.output).toContain(`Created the admin ${ADMIN.email}`);

    await signIn(page, ADMIN.email, ADMIN.password);
    await expect(page.getByTestId("current-user")).toContainText("Admin");

    await page.goto("/admin?tab=users");
    await expect(page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: /Users/ })).toHaveAttribute("aria-current", "page");
    const users = page.getByTestId("user-row");
    await expect(users).toHaveCount(1);
    await expect(users.first()).toContainText(ADMIN.email);
    await expect(users.first()).toContainText("You");
    await snap(page, "production-first-admin-users");

    await page.goto("/admin");
    await expect(page.getByText("No partners yet")).toBeVisible();
    await expect(page.getByRole("button", { name: "New partner" })).toBeVisible();
  });
});
