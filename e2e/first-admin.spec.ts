import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import pg from "pg";
import { embeddedUrl } from "../server/database/embedded";
import { NO_ADMIN_NOTICE } from "../scripts/lib/first-admin-notice";
import { fillNewFacility, signIn, snap } from "./fixtures";
import { callServerAction, serverActionId } from "./server-actions";

/**
 * Issue #13 items 1–3: a production install from an EMPTY database. `npm run start:web`
 * runs beside the e2e server (same build, same PostgreSQL server, a database of its own,
 * HOLDFAST_DEMO=0, port E2E_PORT + 1): it migrates, says how to create the first admin,
 * and serves a sign-in page nobody can pass yet; `npm run admin:create` makes the admin,
 * who then signs in on /login and administers the console (docs/operations.md#going-live).
 *
 * Then the go-live itself, on that same empty database, in the browser: the admin builds
 * the catalogue (a facility, two unit types), imports 500 units from a CSV (preview, apply,
 * in `npm run start:worker` beside it), makes a partner and its key — which sees the new
 * pools and their `inventory.updated` events over HTTP — and makes a site manager and a
 * support user; a tenant moves in through the key, the site manager overlocks the unit,
 * lifts it, reveals the gate code (support cannot; the reveal is on /audit) and moves the
 * tenant out (the unit goes to cleaning).
 */

const PORT = Number(process.env.E2E_PORT ?? 3100) + 1;
const BASE = `http://localhost:${PORT}`;
const DATABASE = "holdfast_e2e_production";
const ADMIN = { email: "owner@example.com", name: "Olga Owner", password: "first-admin-e2e-password" };
const MANAGER = { email: "site.manager@example.com", name: "Sam Site", password: "site-manager-e2e-password" };
const SUPPORT = { email: "support.desk@example.com", name: "Sue Support", password: "support-desk-e2e-password" };
const FACILITY = "BRS-01";
/** The two unit types, and how many units of each the import adds (500 in all). */
const TYPES = [
  { code: "5X5", name: "5 × 5", width: "5", depth: "5", rate: "39.50", prefix: "A", units: 300 },
  { code: "10X10", name: "10 × 10", width: "10", depth: "10", rate: "129.00", prefix: "B", units: 200 },
] as const;

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

/** A process of the production install (`node --import tsx <script>`), its output collected. */
function spawnProduction(script: string, args: string[] = []): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { env: productionEnv(), stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

function adminCreate(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const run = spawnProduction("scripts/admin-create.ts", ["--email", ADMIN.email, "--name", ADMIN.name, "--password-stdin"]);
    run.child.on("error", reject);
    run.child.on("exit", (code) => resolve({ code, output: run.output() }));
    run.child.stdin?.end(`${ADMIN.password}\n`);
  });
}

let web: ReturnType<typeof spawnProduction> | undefined;
let worker: ReturnType<typeof spawnProduction> | undefined;

test.describe("a production install from an empty database", () => {
  test.describe.configure({ mode: "serial", timeout: 240_000 });
  test.use({ baseURL: BASE });

  test.beforeAll(async () => {
    await onServer(`drop database if exists ${DATABASE} with (force)`);
    await onServer(`create database ${DATABASE}`);
    const started = spawnProduction("scripts/start-web.ts");
    web = started;
    const deadline = Date.now() + 180_000;
    for (;;) {
      const live = await fetch(`${BASE}/api/health/live`).then((r) => r.ok, () => false);
      if (live) break;
      if (started.child.exitCode !== null || Date.now() > deadline) throw new Error(`start:web did not start: ${started.output().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // The worker of this install (imports run in it): started once the web start has migrated.
    worker = spawnProduction("scripts/start-worker.ts");
  });

  test.afterEach(async () => {
    const testInfo = test.info();
    if (testInfo.status === testInfo.expectedStatus) return;
    await testInfo.attach("start:web output", { body: (web?.output() ?? "").slice(-20_000) });
    await testInfo.attach("start:worker output", { body: (worker?.output() ?? "").slice(-20_000) });
  });

  test.afterAll(async () => {
    await stopProcess(worker?.child);
    await stopProcess(web?.child);
    await onServer(`drop database if exists ${DATABASE} with (force)`);
  });

  test("the start says how to create the first admin, and the sign-in page works but lets nobody in", async ({ page }) => {
    expect(web?.output()).toContain(NO_ADMIN_NOTICE);

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

  test("the admin creates a facility and two unit types in the console", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/catalogue");
    await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
    await snap(page, "production-catalogue-empty");

    const dialog = await fillNewFacility(page, {
      code: FACILITY,
      name: "Bristol Harbourside",
      address: "1 Harbour Walk",
      city: "Bristol",
      postalCode: "BS1 5TY",
      timeZone: "Europe/London",
      accessHours: "Daily 06:00–22:00",
    });
    await dialog.getByRole("button", { name: "Create facility" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("heading", { name: new RegExp(`${FACILITY} · Bristol Harbourside`) })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`facility=${FACILITY}`));

    for (const type of TYPES) {
      await page.getByRole("button", { name: "Add unit type" }).click();
      const typeDialog = page.getByRole("dialog", { name: `New unit type at ${FACILITY}` });
      await typeDialog.getByLabel("Code", { exact: true }).fill(type.code);
      await typeDialog.getByLabel("Name", { exact: true }).fill(type.name);
      await typeDialog.getByLabel("Width (ft)", { exact: true }).fill(type.width);
      await typeDialog.getByLabel("Depth (ft)", { exact: true }).fill(type.depth);
      await typeDialog.getByLabel(/Monthly rate/).fill(type.rate);
      await typeDialog.getByRole("button", { name: "Create unit type" }).click();
      await expect(typeDialog).toBeHidden();
    }
    const types = page.getByRole("table", { name: `Unit types at ${FACILITY}` });
    await expect(types).toContainText("5X5");
    await expect(types).toContainText("£129.00");
    await snap(page, "production-catalogue-facility");
  });

  test("the admin imports 500 units from a CSV: preview, apply in the worker, the board", async ({ page }) => {
    test.setTimeout(480_000); // 1 min of this on a busy 2-core machine; the worker plans and applies
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`/catalogue?facility=${FACILITY}`);
    const imports = page.getByRole("region", { name: "Imports" });
    await expect(imports.getByText(`No imports yet at ${FACILITY}.`)).toBeVisible();
    await imports.getByRole("link", { name: "Import units…" }).click();

    await expect(page.getByRole("heading", { name: "Import units", level: 1 })).toBeVisible();
    const form = page.getByRole("form", { name: "Import units" });
    await expect(form.getByLabel("Facility")).toHaveValue(FACILITY);
    // the way back keeps the facility
    await expect(form.getByRole("link", { name: "Back to the catalogue" })).toHaveAttribute("href", `/catalogue?facility=${FACILITY}`);
    const lines = ["code,unit_type_code,floor,retired"];
    for (const type of TYPES) {
      for (let i = 1; i <= type.units; i += 1) lines.push(`${type.prefix}-${String(i).padStart(3, "0")},${type.code},${i % 3},no`);
    }
    await form.getByLabel("File (CSV or JSON)").setInputFiles({ name: "brs-01-units.csv", mimeType: "text/csv", buffer: Buffer.from(`${lines.join("\n")}\n`) });
    await form.getByRole("button", { name: "Upload and preview" }).click();

    // the dry run's diff
    await expect(page).toHaveURL(/\/catalogue\/imports\/imp_[A-Za-z0-9]+$/, { timeout: 60_000 });
    await expect(page.getByTestId("import-status")).toHaveText("Ready to apply", { timeout: 120_000 });
    await expect(page.getByTestId("import-count-add")).toHaveText("500");
    await expect(page.getByTestId("import-count-change")).toHaveText("0");
    await expect(page.getByTestId("import-count-retire")).toHaveText("0");
    await expect(page.getByTestId("import-count-errors")).toHaveText("0");
    await page.getByRole("button", { name: /^Changes \(500\)/ }).click();
    const changes = page.getByRole("table", { name: "Changes" });
    await expect(changes.getByRole("row").nth(1)).toContainText("A-001");
    await expect(changes.getByRole("row").nth(1)).toContainText("New 5X5 unit on floor 1");
    await snap(page, "production-import-preview");

    // applied by the worker
    await page.getByRole("button", { name: "Apply…" }).click();
    const confirm = page.getByRole("dialog", { name: "Apply this import?" });
    await expect(confirm.getByTestId("apply-summary")).toContainText(`Apply 500 units to add, 0 to change, 0 to retire at ${FACILITY}?`);
    await confirm.getByRole("button", { name: "Apply import" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId("import-status")).toHaveText("Completed", { timeout: 240_000 });
    await expect(page.getByTestId("import-count-added")).toHaveText("500");
    await snap(page, "production-import-completed");

    await page.getByRole("link", { name: `See them on ${FACILITY}'s board` }).click();
    await expect(page).toHaveURL(new RegExp(`/inventory/${FACILITY}$`));
    for (const type of TYPES) {
      await page.goto(`/inventory/${FACILITY}?type=${type.code}`);
      await expect(page.locator(`#units-${type.code}`)).toContainText(`${type.units} units`, { timeout: 30_000 });
      await expect(page.getByText(`${type.prefix}-001`, { exact: true })).toBeVisible();
      // the board is paged (200 units a page): the type's last unit, found by its code
      const last = `${type.prefix}-${String(type.units).padStart(3, "0")}`;
      await page.goto(`/inventory/${FACILITY}?type=${type.code}&code=${last}`);
      await expect(page.getByText(last, { exact: true })).toBeVisible({ timeout: 30_000 });
    }
    await snap(page, "production-import-board");
  });

  test("the admin makes a partner and a key; over HTTP the key sees the new pools and their inventory.updated events", async ({ page, request }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    const secret = await createPartnerKey(page, "go-live-feed", { newPartner: true });

    const auth = { authorization: `Bearer ${secret}` };
    const availability = await request.get(`/api/v1/availability?facility_code=${FACILITY}`, { headers: auth });
    expect(availability.status()).toBe(200);
    const pools = ((await availability.json()) as { data: Pool[] }).data;
    expect(pools.map((p) => [p.unit_type_code, p.total, p.available]).sort()).toEqual(TYPES.map((t) => [t.code, t.units, t.units]).sort());

    // the feed, page by page, until both pools' inventory.updated are there (served below the outbox horizon: polled)
    await expect
      .poll(async () => (await inventoryEvents(request, auth)).map((e) => e.data.unit_type_code).filter((code, i, all) => all.indexOf(code) === i).sort(), {
        timeout: 60_000,
      })
      .toEqual(TYPES.map((t) => t.code).sort());
    const events = await inventoryEvents(request, auth);
    const last = events.filter((e) => e.data.unit_type_code === "10X10").at(-1);
    expect(last?.data).toMatchObject({ facility_code: FACILITY, total: 200, available: 200 });
  });

  test("the admin makes a site manager of the new facility and a support user", async ({ page }) => {
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto("/admin?tab=users");
    for (const user of [
      { ...MANAGER, role: "SITE_MANAGER", label: "Site manager" },
      { ...SUPPORT, role: "SUPPORT", label: "Support" },
    ]) {
      await page.getByRole("button", { name: "New user" }).click();
      const dialog = page.getByRole("dialog", { name: "New console user" });
      await dialog.getByLabel("Email").fill(user.email);
      await dialog.getByLabel("Name", { exact: true }).fill(user.name);
      await dialog.getByLabel("Role").selectOption(user.role);
      if (user.role === "SITE_MANAGER") await dialog.getByLabel(FACILITY).check();
      await dialog.getByLabel("Initial password").fill(user.password);
      if (user.role === "SITE_MANAGER") await snap(page, "production-create-site-manager");
      await dialog.getByRole("button", { name: "Create user" }).click();
      await expect(dialog).toBeHidden();
      const row = page.getByTestId("user-row").filter({ hasText: user.email });
      await expect(row).toContainText(user.label);
      await expect(row).toContainText("Active");
    }
    await expect(page.getByTestId("user-row").filter({ hasText: MANAGER.email })).toContainText(FACILITY);
    await expect(page.getByTestId("user-row")).toHaveCount(3);
    await snap(page, "production-users");
  });

  test("a tenant moves in through the key; the site manager overlocks, lifts it, reveals the gate code (support cannot), and moves them out", async ({
    page,
    request,
    browser,
  }) => {
    // 2.6 min of this on a busy 2-core machine
    test.setTimeout(480_000);
    // a fresh key for the partner made above (the first one's secret was shown once)
    await signIn(page, ADMIN.email, ADMIN.password);
    const secret = await createPartnerKey(page, "go-live-desk", { newPartner: false });
    const booking = await moveIn(request, { authorization: `Bearer ${secret}` });
    await page.context().clearCookies();

    // the site manager overlocks the occupied unit from the board
    await signIn(page, MANAGER.email, MANAGER.password);
    await expect(page.getByTestId("current-user")).toContainText("Site manager");
    const boardUrl = `/inventory/${FACILITY}?type=${booking.unit_type_code}&unit=${booking.unit_code}`;
    await page.goto(boardUrl);
    const drawer = page.getByTestId("unit-drawer");
    await expect(drawer.getByRole("heading", { name: booking.unit_code })).toBeVisible();
    await drawer.getByRole("button", { name: "Block unit…" }).click();
    const block = page.getByTestId("block-dialog");
    await block.getByLabel("Reason").selectOption("OVERLOCK");
    await block.getByLabel(/Note/).fill("Rent two months overdue");
    await block.getByLabel(/Note/).press("Enter");
    await expect(block).toBeHidden();
    const tile = page.locator(`[data-unit-tile="${booking.unit_code}"]`);
    await expect(tile).toHaveAttribute("data-status", "OCCUPIED");
    await expect(tile).toHaveAttribute("data-tenant-block", "OVERLOCK");
    await snap(page, "production-board-overlock");

    await page.goto(`/bookings/${booking.reference}`);
    await expect(page.getByTestId("booking-status")).toHaveText("Moved in");
    await expect(page.getByTestId("access-status")).toContainText("Suspended");
    await expect(page.getByTestId("unit-block")).toContainText("Overlocked");
    await expect(page.getByTestId("timeline-entry").filter({ hasText: "Access suspended" }).first()).toBeVisible();
    await snap(page, "production-booking-suspended");

    // lifted: access again (a move-out under an overlock keeps the overlock, docs/domain.md#move-out)
    await page.goto(boardUrl);
    await drawer.getByRole("button", { name: "Unblock…" }).click();
    await page.getByRole("button", { name: "Unblock", exact: true }).click();
    await expect(page.getByTestId("drawer-notice")).toContainText(`${booking.unit_code} is unblocked`);
    await expect(tile).not.toHaveAttribute("data-tenant-block", /.+/);

    // support sees the booking but cannot reveal the gate code, not even by calling the action
    const supportContext = await browser.newContext({ baseURL: BASE });
    try {
      const support = await supportContext.newPage();
      await signIn(support, SUPPORT.email, SUPPORT.password);
      await support.goto(`/bookings/${booking.reference}`);
      await expect(support.getByTestId("access-status")).toContainText("Active");
      await expect(support.getByTestId("reveal-access-code")).toHaveCount(0);
      await snap(support, "production-support-no-reveal");
      const forged = await callServerAction(support, serverActionId("server/actions/bookings.ts", "revealAccessCodeAction"), [{ reference: booking.reference }]);
      const body = await forged.text();
      expect(body).toContain("FORBIDDEN");
      expect(body).not.toMatch(/"accessCode"/);
    } finally {
      await supportContext.close();
    }

    // the site manager can, and the reveal is on /audit
    await page.goto(`/bookings/${booking.reference}`);
    await expect(page.getByTestId("access-status")).toContainText("Active");
    await page.getByTestId("reveal-access-code").click();
    await expect(page.getByTestId("access-code")).toHaveText(/^\d{6}$/);
    await snap(page, "production-code-revealed");
    await page.getByTestId("hide-access-code").click();
    await page.goto(`/audit?action=access.reveal&targetId=${booking.reference}`);
    const reveal = page.getByTestId("audit-row").filter({ hasText: "access.reveal" }).filter({ hasText: booking.reference });
    await expect(reveal).toHaveCount(1);
    await expect(reveal).toContainText(MANAGER.email);
    await expect(reveal).toContainText("Allowed");
    await snap(page, "production-audit-reveal");

    // moved out: access revoked, the unit to cleaning
    await page.goto(`/bookings/${booking.reference}`);
    await page.getByTestId("move-out-booking").click();
    const moveOut = page.getByTestId("move-out-dialog");
    await moveOut.getByLabel("Note").fill("Keys returned at reception");
    await moveOut.getByRole("button", { name: "Move out" }).click();
    await expect(moveOut).toBeHidden();
    await expect(page.getByTestId("booking-status")).toHaveText("Moved out");
    await expect(page.getByTestId("access-status")).toContainText("Revoked");
    await expect(page.getByTestId("unit-block")).toContainText("Cleaning");
    await snap(page, "production-booking-moved-out");
    await page.goto(boardUrl);
    await expect(tile).toHaveAttribute("data-status", "BLOCKED");
    await expect(drawer.locator('[data-block-status="ACTIVE"]')).toContainText(/clean/i);
    await snap(page, "production-board-cleaning");
  });
});

const PARTNER = { code: "BRISTOL_FINDER", name: "Bristol Storage Finder" };

interface Pool {
  facility_code: string;
  unit_type_code: string;
  total: number;
  available: number;
}
interface FeedEvent {
  id: string;
  type: string;
  data: Pool;
}
interface Booking {
  reference: string;
  unit_code: string;
  unit_type_code: string;
  status: string;
}

/**
 * In /admin: the partner (when `newPartner`) and a key of it limited to the new facility;
 * answers the secret, shown once.
 */
async function createPartnerKey(page: Page, name: string, { newPartner }: { newPartner: boolean }): Promise<string> {
  if (newPartner) {
    await page.goto("/admin?tab=partners");
    await expect(page.getByText("No partners yet")).toBeVisible();
    await page.getByRole("button", { name: "New partner" }).click();
    const partnerDialog = page.getByRole("dialog", { name: "New partner" });
    await partnerDialog.getByLabel("Code").fill(PARTNER.code);
    await partnerDialog.getByLabel("Name").fill(PARTNER.name);
    await partnerDialog.getByLabel("Kind").selectOption("MARKETPLACE");
    await partnerDialog.getByRole("button", { name: "Create partner" }).click();
    await expect(partnerDialog).toBeHidden();
    await expect(page.getByTestId("partner-row").filter({ hasText: PARTNER.code })).toContainText(PARTNER.name);
  }
  await page.goto(`/admin?tab=keys&partner=${PARTNER.code}`);
  await expect(page.getByRole("heading", { name: new RegExp(`API keys of ${PARTNER.code}`) })).toBeVisible();
  await page.getByRole("button", { name: "Create key" }).first().click();
  const keyDialog = page.getByRole("dialog");
  await keyDialog.getByLabel("Name").fill(name);
  for (const scope of ["inventory:read", "bookings:read", "bookings:write"]) await keyDialog.getByLabel(scope).check();
  await keyDialog.getByLabel(FACILITY).check();
  if (newPartner) await snap(page, "production-create-key");
  await keyDialog.getByRole("button", { name: "Create key" }).click();
  await expect(keyDialog.getByText("This is the only time the key is shown.")).toBeVisible();
  const secret = await keyDialog.getByTestId("api-key-secret").inputValue();
  expect(secret).toMatch(/^hf_live_[0-9A-Za-z]{40}$/);
  await keyDialog.getByRole("button", { name: "I have copied the key" }).click();
  await expect(keyDialog).toBeHidden();
  const keyRow = page.getByTestId("api-key-row").filter({ hasText: name });
  await expect(keyRow).toContainText("bookings:write");
  await expect(keyRow).toContainText(FACILITY);
  if (!newPartner) await snap(page, "production-keys");
  return secret;
}

/** Every inventory.updated of the new facility in the key's event feed, in feed order. */
async function inventoryEvents(request: APIRequestContext, auth: Record<string, string>): Promise<FeedEvent[]> {
  const found: FeedEvent[] = [];
  let after = "";
  for (let pages = 0; pages < 20; pages += 1) {
    const response = await request.get(`/api/v1/events?limit=500${after ? `&after=${after}` : ""}`, { headers: auth });
    expect(response.status()).toBe(200);
    const page = (await response.json()) as { data: FeedEvent[]; next_cursor: string | null; has_more: boolean };
    found.push(...page.data.filter((e) => e.type === "inventory.updated" && e.data.facility_code === FACILITY));
    if (!page.has_more || !page.next_cursor) break;
    after = page.next_cursor;
  }
  return found;
}

/** A hold, its confirmation and the move-in of a 10X10 at the new facility, through the partner API. */
async function moveIn(request: APIRequestContext, auth: Record<string, string>): Promise<Booking> {
  const key = (step: string) => `go-live-${step}-${Date.now().toString(36)}`;
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(new Date());
  const created = await request.post("/api/v1/bookings", {
    headers: { ...auth, "idempotency-key": key("hold") },
    data: {
      facility_code: FACILITY,
      unit_type_code: "10X10",
      partner_booking_reference: "BSF-0001",
      customer: { name: "Rosalind Franklin", email: "rosalind@example.com" },
      move_in_date: today,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const booking = (await created.json()) as Booking;
  for (const step of ["confirm", "fulfil"]) {
    const response = await request.post(`/api/v1/bookings/${booking.reference}/${step}`, { headers: { ...auth, "idempotency-key": key(step) } });
    expect(response.status(), await response.text()).toBe(200);
  }
  const pools = await request.get(`/api/v1/availability?facility_code=${FACILITY}&unit_type_code=10X10`, { headers: auth });
  expect(((await pools.json()) as { data: (Pool & { occupied: number })[] }).data[0]).toMatchObject({ total: 200, available: 199, occupied: 1 });
  return booking;
}
