import fs from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

/**
 * Bookings journeys against the seeded demo: bookings are made and changed through the
 * partner API first (as a partner would), then support, a site manager and an ops lead
 * work with them in the console.
 */

const API = { authorization: "Bearer hf_demo_marketplace" };
const unique = () => Date.now().toString(36).toUpperCase() + Math.floor(Math.random() * 1296).toString(36).toUpperCase();
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

interface Booking {
  reference: string;
  partner_booking_reference: string;
  unit_code: string;
}

/** A hold at `facility` through the partner API, on a unit type that has a free unit. */
async function hold(request: APIRequestContext, facility: string, customer = { name: "Edith Clarke", email: "edith@example.com" }): Promise<Booking> {
  const pools = await request.get(`/api/v1/availability?facility_code=${facility}`, { headers: API });
  expect(pools.status()).toBe(200);
  const pool = ((await pools.json()).data as { unit_type_code: string; available: number }[]).find((p) => p.available > 0);
  expect(pool, `a free unit at ${facility}`).toBeTruthy();
  const created = await request.post("/api/v1/bookings", {
    headers: { ...API, "idempotency-key": `e2e-${unique()}` },
    data: {
      facility_code: facility,
      unit_type_code: pool!.unit_type_code,
      partner_booking_reference: `MKT-E2E-${unique()}`,
      customer,
      move_in_date: inDays(14),
    },
  });
  expect(created.status()).toBe(201);
  return (await created.json()) as Booking;
}

async function post(request: APIRequestContext, path: string, data?: unknown) {
  const response = await request.post(path, { headers: { ...API, "idempotency-key": `e2e-${unique()}` }, data });
  expect(response.status(), path).toBe(200);
}

test.describe("bookings", () => {
  test("support finds a booking from its partner reference and reads who cancelled it and why", async ({ page, request }) => {
    const booking = await hold(request, "LON-01", { name: "Ada Byron", email: `ada.${unique().toLowerCase()}@example.com` });
    await post(request, `/api/v1/bookings/${booking.reference}/confirm`);
    const reason = "Customer found storage nearer home";
    await post(request, `/api/v1/bookings/${booking.reference}/cancel`, { reason });

    await signIn(page, USERS.support);
    await page.goto("/bookings");
    await expect(page.getByTestId("booking-row").first()).toBeVisible();
    await snap(page, "bookings-list");

    // "/" jumps to the one search box (when the shortcut is wired); the box is marked for it either way
    const box = page.locator('[data-shortcut="search"]');
    await expect(box).toHaveCount(1);
    await box.fill(booking.partner_booking_reference);
    await box.press("Enter");
    await expect(page).toHaveURL(new RegExp(`q=${booking.partner_booking_reference}`));
    const row = page.getByTestId("booking-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(booking.reference);
    await expect(row).toContainText("Cancelled");
    await expect(row).toContainText("Partner reference");
    await snap(page, "bookings-search-results");
    // the export is the same search, as CSV
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-bookings").click()]);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toContain("reference,status,facility_code");
    expect(csv).toContain(`${booking.reference},cancelled,LON-01`);
    expect(csv).toContain(reason);

    await row.getByRole("link", { name: booking.reference }).click();
    await expect(page).toHaveURL(new RegExp(`/bookings/${booking.reference}$`));
    await expect(page.getByTestId("booking-status")).toHaveText("Cancelled");
    await expect(page.getByTestId("cancellation")).toContainText("MARKETPLACE");
    await expect(page.getByTestId("cancellation")).toContainText(reason);
    // the timeline says it too: the cancel event with its actor and reason, in its own request group
    const cancelEntry = page.getByTestId("timeline-entry").filter({ hasText: "Cancelled" }).filter({ has: page.getByTestId("event-reason") });
    await expect(cancelEntry).toContainText("MARKETPLACE (partner)");
    await expect(cancelEntry.getByTestId("event-reason")).toHaveText(`“${reason}”`);
    await expect(page.getByTestId("timeline-group")).toHaveCount(3);
    await expect(page.getByTestId("timeline-entry").filter({ hasText: "Idempotency" }).first()).toBeVisible();
    // a cancelled booking offers no actions
    await expect(page.getByTestId("cancel-booking")).toHaveCount(0);
    await snap(page, "booking-detail-cancelled");
  });

  test("support sees Cancel but not Move-in, and cancels with a reason (refused without one)", async ({ page, request }) => {
    const booking = await hold(request, "LON-01");
    await post(request, `/api/v1/bookings/${booking.reference}/confirm`);

    await signIn(page, USERS.support);
    await page.goto(`/bookings/${booking.reference}`);
    await expect(page.getByTestId("booking-status")).toHaveText("Confirmed");
    await expect(page.getByTestId("cancel-booking")).toBeVisible();
    await expect(page.getByTestId("fulfil-booking")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Move in" })).toHaveCount(0);

    await page.getByTestId("cancel-booking").click();
    const dialog = page.getByRole("dialog", { name: `Cancel ${booking.reference}?` });
    await expect(dialog.getByLabel("Reason")).toBeFocused();
    await dialog.getByRole("button", { name: "Cancel booking" }).click();
    await expect(dialog.getByText("Say why the booking is cancelled.")).toBeVisible();
    await snap(page, "booking-cancel-dialog");
    await dialog.getByLabel("Reason").fill("Customer phoned: moving abroad");
    await dialog.getByRole("button", { name: "Cancel booking" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: `${booking.reference} is cancelled.` })).toBeVisible();
    await expect(page.getByTestId("booking-status")).toHaveText("Cancelled");
    await expect(page.getByTestId("cancellation")).toContainText(USERS.support);
    await expect(page.getByTestId("cancellation")).toContainText("Customer phoned: moving abroad");
    const audit = page.locator('[data-testid="timeline-entry"][data-kind="audit"]').filter({ hasText: "booking.cancel" });
    await expect(audit).toContainText(USERS.support);
    await expect(audit).toContainText("Customer phoned: moving abroad");
    await expect(page.getByTestId("cancel-booking")).toHaveCount(0);
  });

  test("a site manager moves a booking of their facility in; a booking of NYC-01 is not found", async ({ page, request }) => {
    const own = await hold(request, "LON-01");
    await post(request, `/api/v1/bookings/${own.reference}/confirm`);
    const other = await hold(request, "NYC-01");

    await signIn(page, USERS.manager);
    const response = await page.goto(`/bookings/${other.reference}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We couldn't find that" })).toBeVisible();
    await expect(page.getByText(other.reference)).toHaveCount(0);
    await snap(page, "booking-not-found-site-manager");
    // nor does the search find it
    await page.goto(`/bookings?q=${other.reference}`);
    await expect(page.getByText("No booking matches that")).toBeVisible();

    await page.goto(`/bookings/${own.reference}`);
    await expect(page.getByTestId("fulfil-booking")).toBeVisible();
    await expect(page.getByTestId("cancel-booking")).toBeVisible();
    await page.getByTestId("fulfil-booking").click();
    const dialog = page.getByRole("dialog", { name: `Move ${own.reference} in?` });
    await dialog.getByRole("button", { name: "Move in" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("booking-status")).toHaveText("Moved in");
    await expect(page.getByTestId("timeline-entry").filter({ hasText: "Access granted" })).toContainText("the code itself is never shown");
    await expect(page.getByTestId("fulfil-booking")).toHaveCount(0);
  });

  test("an ops lead erases a customer's personal data with a reason; the partner reads the booking without it; support is not offered it", async ({ page, request, browser }) => {
    const email = `grace.${unique().toLowerCase()}@example.com`;
    const booking = await hold(request, "SYD-01", { name: "Grace Hopper", email });

    // support, in a browser of their own
    const supportContext = await browser.newContext();
    const supportPage = await supportContext.newPage();
    await signIn(supportPage, USERS.support);
    await supportPage.goto(`/bookings/${booking.reference}`);
    await expect(supportPage.getByText(email)).toBeVisible();
    await expect(supportPage.getByTestId("erase-customer")).toHaveCount(0);
    await supportContext.close();

    await signIn(page, USERS.opslead);
    await page.goto(`/bookings/${booking.reference}`);
    await page.getByTestId("erase-customer").click();
    const dialog = page.getByTestId("erase-dialog");
    await dialog.getByRole("button", { name: "Erase for good" }).click();
    // refused without a reason: the dialog stays and the customer is still there
    await expect(dialog).toBeVisible();
    await expect(page.getByText(email)).toBeVisible();
    await dialog.getByLabel("Reason").fill("Customer asked by e-mail, ticket 5120");
    await snap(page, "erase-customer-dialog");
    await dialog.getByRole("button", { name: "Erase for good" }).click();
    await expect(page.getByRole("status").filter({ hasText: "is erased" })).toBeVisible();
    await expect(page.getByText(email)).toHaveCount(0);
    await expect(page.getByTestId("erase-customer")).toHaveCount(0);

    const read = await request.get(`/api/v1/bookings/${booking.reference}`, { headers: API });
    expect(read.status()).toBe(200);
    expect(JSON.stringify(await read.json())).not.toContain(email);
  });

  test("a refused partner call shows on the booking's timeline with its code and what the partner was told", async ({ page, request }) => {
    const booking = await hold(request, "LON-01");
    await post(request, `/api/v1/bookings/${booking.reference}/cancel`, { reason: "Customer changed their mind" });
    const refused = await request.post(`/api/v1/bookings/${booking.reference}/confirm`, { headers: { ...API, "idempotency-key": `e2e-${unique()}` } });
    expect(refused.status()).toBe(409);
    const problem = (await refused.json()) as { code: string; detail: string };
    expect(problem.code).toBe("INVALID_TRANSITION");

    await signIn(page, USERS.opslead);
    await page.goto(`/bookings/${booking.reference}`);
    const entry = page.locator('[data-testid="timeline-entry"][data-kind="audit"]').filter({ hasText: "booking.confirm" });
    await expect(entry).toContainText("Audit · failed");
    await expect(entry.getByTestId("refusal-code")).toHaveText("INVALID_TRANSITION");
    await expect(entry).toContainText("POST /api/v1/bookings/{reference}/confirm");
    await expect(entry).toContainText(problem.detail);
    await expect(page.locator(`[data-testid="timeline-group"][data-correlation-id="${refused.headers()["x-correlation-id"]}"]`)).toContainText("MARKETPLACE");
  });

  test("a live hold counts down; the timeline shows deliveries and links to them", async ({ page, request, baseURL }) => {
    // MARKETPLACE subscribes to its webhooks at the in-app demo receiver
    const endpoint = await request.post("/api/v1/webhook-endpoints", {
      headers: { ...API, "idempotency-key": `e2e-${unique()}` },
      data: { url: `${baseURL}/api/demo-receiver/MARKETPLACE`, description: "e2e bookings" },
    });
    expect(endpoint.status()).toBe(201);
    const booking = await hold(request, "SYD-01");
    await signIn(page, USERS.opslead);
    await page.goto(`/bookings/${booking.reference}`);
    await expect(page.getByTestId("booking-status")).toHaveText("Held");
    const countdown = page.getByTestId("hold-countdown").getByRole("timer");
    await expect(countdown).toHaveText(/^\d{1,2}:\d{2}$/);
    const first = await countdown.textContent();
    await expect(countdown).not.toHaveText(first!, { timeout: 5_000 });
    await expect(page.getByTestId("inventory-version")).toContainText(/v\d+/);
    // the worker delivers the hold's events to the demo receivers
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("timeline-attempt").first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId("timeline-delivery").first().getByRole("link")).toHaveAttribute("href", /^\/webhooks\/deliveries\/msg_/);
    await snap(page, "booking-detail-held");

    // filters live in the URL: a shareable link
    await page.goto("/bookings?status=TENTATIVE&facility=SYD-01");
    await expect(page.getByTestId("booking-row").filter({ hasText: booking.reference })).toBeVisible();
    await expect(page.getByTestId("booking-row").first()).toContainText("left");
    await snap(page, "bookings-held-syd");

    // a filter the server refuses is named, with a way out
    await page.goto("/bookings?moveInFrom=2026-02-30");
    await expect(page.getByTestId("error-state")).toContainText("Move-in from");
    await snap(page, "bookings-bad-filter");
    await page.getByRole("button", { name: "Clear search and filters" }).click();
    await expect(page).toHaveURL(/\/bookings$/);
    await expect(page.getByTestId("booking-row").first()).toBeVisible();
  });
});
