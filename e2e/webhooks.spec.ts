import crypto from "node:crypto";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

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
  const response = await request.post("/api/v1/bookings", {
    headers: { ...auth, "idempotency-key": crypto.randomUUID() },
    data: {
      facility_code: "LON-01",
      unit_type_code: "10X10",
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
});
