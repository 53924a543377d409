import crypto from "node:crypto";
import fs from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { USERS, signIn, snap as saveScreenshot } from "./fixtures";

const PARTNER_KEY = "hf_demo_marketplace";
const auth = { authorization: `Bearer ${PARTNER_KEY}` };

/**
 * A MARKETPLACE endpoint on the demo receiver, which fails the first `failFirst`
 * deliveries of each webhook-id (server/domain/demo-receiver/behaviour.ts) — created
 * through the partner API, as a partner would.
 */
async function createEndpoint(request: APIRequestContext, baseURL: string, failFirst: number, description: string): Promise<string> {
  const response = await request.post("/api/v1/webhook-endpoints", {
    headers: { ...auth, "idempotency-key": crypto.randomUUID() },
    data: {
      url: `${baseURL}/api/demo-receiver/MARKETPLACE?fail_first=${failFirst}`,
      description,
      event_types: ["booking.held"],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).id as string;
}

/** A hold through the partner API: its booking.held event is fanned out to the endpoint. */
async function createHold(request: APIRequestContext): Promise<string> {
  // The unit type with the most free units: other journeys hold units of LON-01 too.
  const pools = await request.get("/api/v1/availability?facility_code=LON-01", { headers: auth });
  expect(pools.status()).toBe(200);
  const [pool] = ((await pools.json()).data as { unit_type_code: string; available: number }[]).sort((a, b) => b.available - a.available);
  expect(pool?.available ?? 0, "LON-01 has no free unit left for this journey").toBeGreaterThan(0);
  const response = await request.post("/api/v1/bookings", {
    headers: { ...auth, "idempotency-key": crypto.randomUUID() },
    data: {
      facility_code: "LON-01",
      unit_type_code: pool!.unit_type_code,
      partner_booking_reference: `E2E-WH-${crypto.randomBytes(4).toString("hex")}`,
      customer: { name: "Grace Hopper", email: "grace@example.com" },
      move_in_date: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10),
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).reference as string;
}

/** Opens the log filtered to one booking and endpoint, and from it the delivery. */
async function openDelivery(page: Page, reference: string, endpointId: string): Promise<void> {
  await page.goto(`/webhooks?q=${reference}&endpoint=${endpointId}`);
  const row = page.getByTestId("delivery-row").first();
  await expect(row).toBeVisible({ timeout: 30_000 });
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/webhooks\/deliveries\/msg_/);
}

/** A full-page screenshot from the top (the console's header is sticky). */
async function snap(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

/** "1,234 deliveries · 200 loaded" → 1234 */
async function deliveryCount(page: Page): Promise<number> {
  const text = await page.getByTestId("delivery-count").innerText();
  const match = /([\d,]+)\s+deliver/.exec(text);
  return match ? Number(match[1]!.replaceAll(",", "")) : NaN;
}

test.describe("webhooks", () => {
  test("support replays a failed delivery and sees the new successful attempt appear", async ({ page, request, baseURL }) => {
    // Every delivery to this endpoint fails twice: the first attempt and the 5-second retry.
    const endpointId = await createEndpoint(request, baseURL!, 2, "e2e: fails twice");
    const reference = await createHold(request);

    await signIn(page, USERS.support);
    await openDelivery(page, reference, endpointId);
    const attempts = page.getByTestId("attempt");
    // The page refreshes itself while the delivery is retried.
    await expect(attempts).toHaveCount(2, { timeout: 45_000 });
    await expect(page.getByTestId("delivery-status")).toHaveText("Retrying");
    await expect(attempts.first()).toContainText("HTTP 500");
    await expect(attempts.first()).toContainText("HTTP 5xx");
    await snap(page, "webhooks-delivery-failed");

    await page.getByTestId("replay-delivery").click();
    const dialog = page.getByRole("dialog", { name: "Replay this delivery?" });
    await expect(dialog).toContainText("same webhook-id");
    await dialog.getByRole("button", { name: "Replay now" }).click();
    await expect(dialog).toBeHidden();

    // No reload: the new attempt is at the top, by support, answered 200.
    await expect(page.getByTestId("replay-notice")).toContainText("Attempt 3 delivered: HTTP 200");
    await expect(attempts).toHaveCount(3);
    const newest = attempts.first();
    await expect(newest).toHaveAttribute("data-attempt-number", "3");
    await expect(newest).toHaveAttribute("data-trigger", "MANUAL_REPLAY");
    await expect(newest).toHaveAttribute("data-response-status", "200");
    await expect(newest).toContainText(USERS.support);
    await expect(page.getByTestId("delivery-status")).toHaveText("Delivered");
    await newest.getByText("Request headers and response").click();
    await expect(newest).toContainText("webhook-signature: v1,");
    await snap(page, "webhooks-delivery-replayed");
  });

  test("support sees replay, but no bulk replay or endpoint buttons", async ({ page, request, baseURL }) => {
    const endpointId = await createEndpoint(request, baseURL!, 0, "e2e: support's view");
    const reference = await createHold(request);
    await signIn(page, USERS.support);

    await page.goto("/webhooks");
    await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
    await expect(page.getByTestId("endpoint-row").first()).toBeVisible();
    await expect(page.getByTestId("bulk-replay-open")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Replay (matching|dead letters)/ })).toHaveCount(0);

    await page.goto(`/webhooks/endpoints/${endpointId}`);
    await expect(page.getByTestId("endpoint-health")).toBeVisible();
    for (const name of ["Disable", "Enable", "Rotate secret", "Send test ping", "Replay a window…"]) {
      await expect(page.getByRole("button", { name, exact: true })).toHaveCount(0);
    }

    await openDelivery(page, reference, endpointId);
    await expect(page.getByTestId("replay-delivery")).toBeVisible();
    await expect(page.getByTestId("replay-event")).toHaveCount(0);
  });

  test("an ops lead manages an endpoint: test ping, secret rotation shown once, disable with a reason, enable", async ({ page, request, baseURL }) => {
    const endpointId = await createEndpoint(request, baseURL!, 0, "e2e: ops lead's endpoint");
    await createHold(request);
    await signIn(page, USERS.opslead);
    await page.goto(`/webhooks/endpoints/${endpointId}`);
    await expect(page.getByTestId("endpoint-health")).toBeVisible();
    await expect(page.getByTestId("delivery-row").first()).toBeVisible({ timeout: 30_000 });

    await page.getByRole("button", { name: "Send test ping" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Test ping answered HTTP 200" })).toBeVisible();
    await expect(page.getByRole("region", { name: "Test pings" })).toContainText("HTTP 200");

    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
    const shown = page.getByTestId("rotated-secret-dialog");
    await expect(shown.getByTestId("new-secret")).toHaveText(/^whsec_/);
    await expect(shown).toContainText("shown only now");
    await shown.getByRole("button", { name: "I have stored it" }).click();
    await expect(page.getByTestId("endpoint-health")).toContainText("version 2");

    await page.getByRole("button", { name: "Edit", exact: true }).click();
    const edit = page.getByRole("dialog");
    await edit.getByLabel("Requests at once").fill("0");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByText("Between 1 and 64.")).toBeVisible();
    await edit.getByLabel("Requests at once").fill("3");
    await edit.getByLabel("Description").fill("e2e: ops lead's endpoint (edited)");
    await edit.getByLabel("inventory.updated").check();
    await snap(page, "webhooks-endpoint-edit");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Endpoint updated" })).toBeVisible();
    await expect(page.getByTestId("endpoint-health")).toContainText("booking.held, inventory.updated");
    await expect(page.getByTestId("endpoint-health")).toContainText("3 at a time");

    await page.getByRole("button", { name: "Disable", exact: true }).click();
    const disable = page.getByRole("dialog");
    await disable.getByRole("button", { name: "Disable endpoint" }).click();
    await expect(disable.getByText(/at least 1 character|Too small/i)).toBeVisible();
    await disable.getByLabel("Reason").fill("e2e: partner migrating servers");
    await disable.getByRole("button", { name: "Disable endpoint" }).click();
    await expect(page.getByTestId("disabled-reason")).toContainText("e2e: partner migrating servers");
    await page.goto("/webhooks");
    await expect(page.getByTestId("endpoint-row").filter({ hasText: "e2e: ops lead's endpoint (edited)" })).toContainText("e2e: partner migrating servers");

    await page.goto(`/webhooks/endpoints/${endpointId}`);
    await page.getByRole("button", { name: "Enable", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Enable endpoint" }).click();
    await expect(page.getByTestId("disabled-reason")).toHaveCount(0);

    await page.getByTestId("replay-window-open").click();
    const window = page.getByTestId("replay-window-dialog");
    await expect(window.getByTestId("replay-preview")).toBeVisible();
    await snap(page, "webhooks-replay-window");
    await window.getByRole("button", { name: "Cancel" }).click();
    await snap(page, "webhooks-endpoint");
  });

  test("an ops lead replays a window of an endpoint's failed deliveries after its preview count", async ({ page, request, baseURL }) => {
    // Fails the first three deliveries of each webhook-id: the delivery keeps retrying.
    const endpointId = await createEndpoint(request, baseURL!, 3, "e2e: window replay");
    await createHold(request);
    await signIn(page, USERS.opslead);
    await page.goto(`/webhooks/endpoints/${endpointId}`);
    await expect(page.getByTestId("delivery-row").first()).toHaveAttribute("data-status", "RETRYING", { timeout: 30_000 });

    await page.getByTestId("replay-window-open").click();
    const dialog = page.getByTestId("replay-window-dialog");
    await expect(dialog.getByTestId("replay-preview-count")).toHaveText("1");
    await dialog.getByRole("button", { name: "Replay 1 delivery" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "Replay started: 1 delivery." })).toBeVisible();

    const job = page.getByTestId("replay-job-row").first();
    await expect(job).toHaveAttribute("data-status", "COMPLETED", { timeout: 30_000 });
    await expect(job.getByTestId("replay-progress")).toHaveText("1 / 1");
    await expect(job).toContainText("status RETRYING or DEAD");
    await expect(job).toContainText(/from \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // the bulk replay's attempt is on the delivery, with who started it
    await page.getByTestId("delivery-row").first().getByRole("link").first().click();
    await expect(page.getByTestId("attempt").first()).toHaveAttribute("data-trigger", "BULK_REPLAY");
    await expect(page.getByTestId("attempt").first()).toContainText(USERS.opslead);
  });

  test("a site manager does not see another facility's deliveries, not even by their URL", async ({ browser }) => {
    // Support finds a dead letter of another facility's event (the seed's PHONEDESK outage)…
    const supportPage = await browser.newPage();
    await signIn(supportPage, USERS.support);
    await supportPage.goto("/webhooks?status=DEAD");
    const elsewhere = supportPage.getByTestId("delivery-row").filter({ hasNotText: "LON-01" }).first();
    await expect(elsewhere).toBeVisible();
    const deliveryId = await elsewhere.getAttribute("data-delivery-id");
    await supportPage.close();

    // …which LON-01's manager cannot open, and whose log leaves it out.
    const page = await browser.newPage();
    await signIn(page, USERS.manager);
    const response = await page.goto(`/webhooks/deliveries/${deliveryId}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("We couldn't find that")).toBeVisible();
    await page.goto("/webhooks?status=DEAD");
    await expect(page.getByTestId("delivery-count")).toContainText(/\d+ deliver/);
    await expect(page.getByTestId("delivery-row").filter({ hasText: "SYD-01" })).toHaveCount(0);
    await expect(page.getByTestId("delivery-row").filter({ hasText: "NYC-01" })).toHaveCount(0);
    await expect(page.getByTestId("bulk-replay-open")).toHaveCount(0);
    await page.close();
  });

  test("an ops lead bulk-replays dead letters after the preview count", async ({ page }) => {
    await signIn(page, USERS.opslead);
    await page.goto("/webhooks");
    await expect(page.getByTestId("endpoint-row").first()).toBeVisible();
    await expect(page.getByTestId("delivery-row").first()).toBeVisible();
    await snap(page, "webhooks-overview");

    // The dead-letter view is a link like any other filter.
    await page.getByRole("navigation", { name: "Delivery views" }).getByRole("link", { name: /Dead letters/ }).click();
    await expect(page).toHaveURL(/[?&]status=DEAD/);
    await expect(page.getByRole("heading", { name: "Dead letters" })).toBeVisible();
    // The seed's PHONEDESK outage dead-lettered its first deliveries.
    const phonedesk = await page.getByTestId("endpoint-row").filter({ hasText: "PHONEDESK" }).first().getAttribute("data-endpoint-id");
    await page.getByLabel("Endpoint", { exact: true }).selectOption(phonedesk!);
    await expect(page).toHaveURL(new RegExp(`endpoint=${phonedesk}`));
    await expect(page.getByTestId("delivery-row").first()).toHaveAttribute("data-status", "DEAD");
    await expect(page.getByTestId("delivery-count")).toContainText(/\d+ deliver/);
    const dead = await deliveryCount(page);
    expect(dead).toBeGreaterThan(0);
    await snap(page, "webhooks-dead-letters");

    // The export carries what the view lists.
    const download = page.waitForEvent("download");
    await page.getByTestId("export-dead-letters").click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^holdfast-dead-letters-.*\.csv$/);
    const csv = fs.readFileSync((await file.path())!, "utf8").trim().split("\r\n");
    expect(csv[0]).toContain("delivery_id,created_at_utc,status");
    expect(csv).toHaveLength(dead + 1);
    expect(csv.slice(1).filter((line) => !line.includes(",DEAD,") || !line.includes("PHONEDESK"))).toEqual([]);

    await page.getByTestId("bulk-replay-open").click();
    const dialog = page.getByTestId("bulk-replay-dialog");
    await expect(dialog).toContainText("status DEAD");
    await expect(dialog).toContainText("PHONEDESK");
    // The preview counts what the log shows, and the button says what it will send.
    await expect(dialog.getByTestId("replay-preview-count")).toHaveText(dead.toLocaleString("en-GB"));
    await dialog.getByLabel("Rate cap (deliveries per second)").fill("500");
    await expect(dialog.getByTestId("replay-preview")).toContainText("at most 500 per second");
    await snap(page, "webhooks-bulk-replay-dialog");
    await dialog.getByRole("button", { name: new RegExp(`^Replay ${dead.toLocaleString("en-GB")} deliver`) }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("status").filter({ hasText: "Bulk replay started" })).toBeVisible();

    const job = page.getByTestId("replay-job-row").first();
    await expect(job).toHaveAttribute("data-status", "COMPLETED", { timeout: 60_000 });
    await expect(job.getByTestId("replay-progress")).toHaveText(`${dead.toLocaleString("en-GB")} / ${dead.toLocaleString("en-GB")}`);
    await expect(job).toContainText(USERS.opslead);
    // Those the partner now accepted are no longer dead letters (its receiver still fails one in five).
    await expect
      .poll(() => deliveryCount(page), { timeout: 20_000 })
      .toBeLessThan(dead);
    await snap(page, "webhooks-after-bulk-replay");
  });

});
