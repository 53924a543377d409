import fs from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

/**
 * The request log in the console (docs/request-log.md#in-the-console): calls made through
 * the partner API first, as a partner would, then read by support, an ops lead and a
 * site manager — the list with its filters in the URL, one call's detail, the idempotency
 * inspector, and the KPI page's refusals opening the matching calls.
 */

const API = { authorization: "Bearer hf_demo_marketplace" };
const unique = () => Date.now().toString(36).toUpperCase() + Math.floor(Math.random() * 1296).toString(36).toUpperCase();
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

async function holdBody(request: APIRequestContext, facility: string) {
  const pools = await request.get(`/api/v1/availability?facility_code=${facility}`, { headers: API });
  expect(pools.status()).toBe(200);
  const pool = ((await pools.json()).data as { unit_type_code: string; available: number }[]).find((p) => p.available > 0);
  expect(pool, `a free unit at ${facility}`).toBeTruthy();
  return {
    facility_code: facility,
    unit_type_code: pool!.unit_type_code,
    partner_booking_reference: `MKT-E2E-${unique()}`,
    customer: { name: "Hertha Ayrton", email: "hertha@example.com" },
    move_in_date: inDays(14),
  };
}

async function hold(request: APIRequestContext, facility: string, headers: Record<string, string> = {}) {
  const created = await request.post("/api/v1/bookings", { headers: { ...API, "idempotency-key": `e2e-${unique()}`, ...headers }, data: await holdBody(request, facility) });
  expect(created.status()).toBe(201);
  return (await created.json()) as { reference: string };
}

test.describe("API logs", () => {
  test("support pastes a partner's idempotency key, sees the two requests and the stored response, and opens the booking", async ({ page, request }) => {
    const key = `e2e-key-${unique()}`;
    const body = await holdBody(request, "LON-01");
    const first = await request.post("/api/v1/bookings", { headers: { ...API, "idempotency-key": key }, data: body });
    const replay = await request.post("/api/v1/bookings", { headers: { ...API, "idempotency-key": key }, data: body });
    expect([first.status(), replay.status()]).toEqual([201, 201]);
    expect(replay.headers()["idempotent-replayed"]).toBe("true");
    const { reference } = (await first.json()) as { reference: string };
    // the same key with another e-mail: refused, and the inspector names the field
    const reused = await request.post("/api/v1/bookings", {
      headers: { ...API, "idempotency-key": key },
      data: { ...body, customer: { ...body.customer, email: "someone.else@example.com" } },
    });
    expect(reused.status()).toBe(422);

    await signIn(page, USERS.support);
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API logs" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "API logs" })).toBeVisible();
    await page.getByRole("link", { name: "Idempotency inspector" }).click();
    await page.getByLabel("Partner code").fill("marketplace");
    await page.getByLabel("Idempotency key", { exact: true }).fill(key);
    await page.getByLabel("Idempotency key", { exact: true }).press("Enter");
    await expect(page).toHaveURL(new RegExp(`/api-logs/idempotency\\?partner=MARKETPLACE&key=${key}`));

    const calls = page.getByTestId("idempotency-request");
    await expect(calls).toHaveCount(3);
    await expect(calls.nth(0)).toHaveAttribute("data-replayed", "false");
    await expect(calls.nth(1)).toHaveAttribute("data-replayed", "true");
    await expect(calls.nth(2)).toContainText("IDEMPOTENCY_KEY_REUSED");
    await expect(page.getByTestId("idempotency-replay-count")).toHaveText(/^1 · last at /);
    await expect(page.getByTestId("idempotency-expires")).toContainText(/\d{4}-\d{2}-\d{2}T/);
    await expect(page.getByTestId("idempotency-stored-response")).toContainText(`"reference": "${reference}"`);
    const difference = page.getByTestId("reuse-difference");
    await expect(difference).toHaveCount(1);
    await expect(difference).toHaveAttribute("data-field", "customer.email");
    await expect(difference).toContainText("someone.else@example.com");
    await snap(page, "api-logs-idempotency-inspector");

    await page.getByTestId("idempotency-booking").click();
    await expect(page).toHaveURL(new RegExp(`/bookings/${reference}$`));
    await expect(page.getByTestId("booking-status")).toHaveText("Held");
  });

  test("the list: filters in the URL, load older, CSV of the filtered list, one call's detail and its links", async ({ page, request }) => {
    // 53 calls and a dozen page loads: a budget that survives a busy machine
    test.setTimeout(180_000);
    const correlationId = `e2e-cor-${unique()}`;
    // 52 calls under one correlation id: more than a page
    for (let i = 0; i < 52; i++) {
      const response = await request.get("/api/v1/facilities", { headers: { ...API, "x-correlation-id": correlationId } });
      expect(response.status()).toBe(200);
    }
    await signIn(page, USERS.opslead);
    await page.goto(`/api-logs?correlationId=${correlationId}`);
    await expect(page.getByTestId("api-log-row")).toHaveCount(50);
    await expect(page.getByTestId("api-logs-count")).toHaveText("50 calls shown · older calls available");
    await page.getByRole("button", { name: "Load older calls" }).click();
    await expect(page.getByTestId("api-log-row")).toHaveCount(52);
    await expect(page.getByTestId("api-logs-count")).toHaveText("52 calls shown · that is all");
    // newest first, no repeats
    const ids = (await page.getByTestId("api-log-row").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-id")))));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(52);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-api-logs").click()]);
    expect(download.suggestedFilename()).toMatch(/^holdfast-api-logs-.*\.csv$/);
    const [header, ...rows] = fs.readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
    expect(header!.split(",").slice(0, 4)).toEqual(["id", "created_at", "source", "partner"]);
    expect(rows).toHaveLength(52);
    expect(rows.filter((row) => !row.includes(correlationId))).toEqual([]);

    // a typed filter goes into the URL with Enter, and a shared link opens the same view
    const booking = await hold(request, "LON-01", { "x-correlation-id": `e2e-hold-${unique()}` });
    await page.goto("/api-logs");
    await page.getByLabel("Booking reference").fill(booking.reference.toLowerCase());
    await page.getByLabel("Booking reference").press("Enter");
    await expect(page).toHaveURL(new RegExp(`bookingReference=${booking.reference}`));
    await expect(page.getByTestId("api-log-row")).toHaveCount(1);
    await page.getByLabel("Method").selectOption("GET");
    await expect(page).toHaveURL(/method=GET/);
    await expect(page.getByTestId("api-log-row")).toHaveCount(0);
    await expect(page.getByText("No calls match these filters")).toBeVisible();
    await page.getByRole("link", { name: "Clear all", exact: true }).click();
    await expect(page).toHaveURL(/\/api-logs$/);

    await page.goto(`/api-logs?bookingReference=${booking.reference}`);
    await snap(page, "api-logs-list");
    await page.getByTestId("api-log-open").first().click();
    await expect(page).toHaveURL(/\/api-logs\/\d+$/);
    const detail = page.getByTestId("api-request-detail");
    await expect(detail.getByTestId("request-status")).toHaveText("201");
    await expect(detail).toContainText("POST /api/v1/bookings");
    await expect(detail).toContainText("MARKETPLACE");
    await expect(detail).toContainText(/hf_demo_mark/);
    await expect(detail).toContainText(/\d+ ms/);
    await expect(detail.getByTestId("response-body")).toContainText(`"reference": "${booking.reference}"`);
    await expect(detail.getByTestId("request-body")).toContainText('"facility_code": "LON-01"');
    await expect(detail.getByTestId("request-deliveries")).toHaveAttribute("href", /^\/webhooks\?q=e2e-hold-/);
    await expect(detail.getByTestId("request-audit")).toHaveAttribute("href", /^\/audit\?correlationId=e2e-hold-/);
    await snap(page, "api-logs-detail");
    await detail.getByTestId("request-booking").click();
    await expect(page).toHaveURL(new RegExp(`/bookings/${booking.reference}$`));

    // from the booking back to its calls, and by correlation id from the timeline
    await page.getByTestId("booking-api-calls").click();
    await expect(page).toHaveURL(new RegExp(`/api-logs\\?bookingReference=${booking.reference}`));
    await expect(page.getByTestId("api-log-row")).toHaveCount(1);
    await page.goto(`/bookings/${booking.reference}`);
    await page.getByTestId("timeline-group-requests").first().click();
    await expect(page).toHaveURL(/\/api-logs\?correlationId=e2e-hold-/);
    await expect(page.getByTestId("api-log-row")).toHaveCount(1);
  });

  test("a refused call with no audit entry is on the booking's timeline, and opens in the log", async ({ page, request }) => {
    const booking = await hold(request, "LON-01");
    const refused = await request.post(`/api/v1/bookings/${booking.reference}/cancel`, {
      headers: { ...API, "idempotency-key": `e2e-${unique()}` },
      data: { surprise: true },
    });
    expect(refused.status()).toBe(422);
    const problem = (await refused.json()) as { detail: string };
    await signIn(page, USERS.support);
    await page.goto(`/bookings/${booking.reference}`);
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="refused_request"]');
    await expect(entry).toHaveCount(1);
    await expect(entry.getByTestId("refusal-code")).toHaveText("VALIDATION_FAILED");
    await expect(entry).toContainText(problem.detail);
    await entry.getByTestId("timeline-request-link").click();
    await expect(page.getByTestId("request-status")).toHaveText("422");
    await expect(page.getByTestId("request-code")).toHaveText("VALIDATION_FAILED");
    await expect(page.getByTestId("request-body")).toContainText('"surprise": true');
  });

  test("a site manager sees their facilities' calls only; another facility's call is not found by its URL", async ({ page, request }) => {
    const tag = unique();
    await hold(request, "LON-01", { "x-correlation-id": `e2e-mine-${tag}` });
    await hold(request, "NYC-01", { "x-correlation-id": `e2e-theirs-${tag}` });
    await signIn(page, USERS.opslead);
    await page.goto(`/api-logs?correlationId=e2e-theirs-${tag}`);
    await page.getByTestId("api-log-open").click();
    await expect(page).toHaveURL(/\/api-logs\/\d+$/);
    const theirs = page.url();

    await page.context().clearCookies();
    await signIn(page, USERS.manager);
    await page.goto(`/api-logs?correlationId=e2e-mine-${tag}`);
    await expect(page.getByTestId("api-log-row")).toHaveCount(1);
    await expect(page.getByText(/Showing calls on .*LON-01/)).toBeVisible();
    await page.goto(`/api-logs?correlationId=e2e-theirs-${tag}`);
    await expect(page.getByText("No calls match these filters")).toBeVisible();
    const response = await page.goto(theirs);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("NYC-01")).toHaveCount(0);
  });

  test("an ops lead clicks the 409 bar on /kpis and lands on the matching requests", async ({ page, request }) => {
    const booking = await hold(request, "SYD-01");
    const cancel = await request.post(`/api/v1/bookings/${booking.reference}/cancel`, { headers: { ...API, "idempotency-key": `e2e-${unique()}` }, data: { reason: "e2e" } });
    expect(cancel.status()).toBe(200);
    const confirm = await request.post(`/api/v1/bookings/${booking.reference}/confirm`, { headers: { ...API, "idempotency-key": `e2e-${unique()}` } });
    expect(confirm.status()).toBe(409);

    await signIn(page, USERS.opslead);
    await page.goto("/kpis?range=24h");
    const card = page.locator('[data-kpi="api_refusals"]');
    const bar = card.locator('[data-testid="refusal-bar"][data-status="409"][data-code="INVALID_TRANSITION"]').filter({ hasText: "/api/v1/bookings/{reference}/confirm" }).filter({ hasText: "MARKETPLACE" });
    // the card reads its counts after the dashboard has loaded: generous on a loaded machine
    await expect(bar).toHaveCount(1, { timeout: 30_000 });
    const counted = Number(await bar.locator("span.tabular-nums").first().textContent());
    expect(counted).toBeGreaterThanOrEqual(1);
    await snap(page, "kpis-refusals");
    await bar.click();
    await expect(page).toHaveURL(/\/api-logs\?.*status=409.*code=INVALID_TRANSITION/);
    await expect(page).toHaveURL(/partner=MARKETPLACE/);
    const rows = page.getByTestId("api-log-row");
    await expect(rows.first()).toBeVisible();
    expect(await rows.count()).toBe(Math.min(counted, 50));
    const statuses = await rows.evaluateAll((all) => all.map((r) => `${r.getAttribute("data-status")} ${r.getAttribute("data-code")}`));
    expect(statuses.filter((s) => s !== "409 INVALID_TRANSITION")).toEqual([]);
    await expect(rows.filter({ hasText: booking.reference })).toHaveCount(1);
  });

  test("keyboard: g then l opens the log; / focuses the first filter", async ({ page }) => {
    await signIn(page, USERS.support);
    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("g");
    await page.keyboard.press("l");
    await expect(page).toHaveURL(/\/api-logs$/);
    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("/");
    await expect(page.getByLabel("Booking reference")).toBeFocused();
  });
});
