import { expect, test, type APIRequestContext } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";
import { callServerAction, serverActionId } from "./server-actions";

/**
 * Site operations on the seeded demo (docs/domain.md#site-operations): a tenant moved in
 * through the partner API; a site manager overlocks their unit (access suspended), lifts
 * it, and moves the tenant out (the unit goes to cleaning); support cannot reveal the gate
 * code, a site manager can, and the reveal is on /audit.
 */

const API = { authorization: "Bearer hf_demo_marketplace" };
const unique = () => Date.now().toString(36).toUpperCase() + Math.floor(Math.random() * 1296).toString(36).toUpperCase();

interface Booking {
  reference: string;
  unit_code: string;
  unit_type_code: string;
}

async function post(request: APIRequestContext, path: string, data?: unknown) {
  const response = await request.post(path, { headers: { ...API, "idempotency-key": `e2e-${unique()}` }, data });
  expect(response.status(), path).toBe(200);
}

/** A tenant moved in at LON-01 (the demo site manager's facility), through the partner API. */
async function tenant(request: APIRequestContext): Promise<Booking> {
  const pools = await request.get("/api/v1/availability?facility_code=LON-01", { headers: API });
  const pool = ((await pools.json()).data as { unit_type_code: string; available: number }[]).find((p) => p.available > 0);
  expect(pool, "a free unit at LON-01").toBeTruthy();
  const created = await request.post("/api/v1/bookings", {
    headers: { ...API, "idempotency-key": `e2e-${unique()}` },
    data: {
      facility_code: "LON-01",
      unit_type_code: pool!.unit_type_code,
      partner_booking_reference: `MKT-SITE-${unique()}`,
      customer: { name: "Rosalind Franklin", email: "rosalind@example.com" },
      move_in_date: new Date().toISOString().slice(0, 10),
    },
  });
  expect(created.status()).toBe(201);
  const booking = (await created.json()) as Booking;
  await post(request, `/api/v1/bookings/${booking.reference}/confirm`);
  await post(request, `/api/v1/bookings/${booking.reference}/fulfil`);
  return booking;
}

test.describe("site operations", () => {
  test("a site manager overlocks an occupied unit (access suspended), lifts it, and moves the tenant out (unit to cleaning)", async ({ page, request }) => {
    test.setTimeout(120_000);
    const booking = await tenant(request);
    await signIn(page, USERS.manager);

    await page.goto(`/inventory/LON-01?type=${booking.unit_type_code}&unit=${booking.unit_code}`);
    const drawer = page.getByTestId("unit-drawer");
    await expect(drawer.getByRole("heading", { name: booking.unit_code })).toBeVisible();
    await drawer.getByRole("button", { name: "Block unit…" }).click();
    const dialog = page.getByTestId("block-dialog");
    await dialog.getByLabel("Reason").selectOption("OVERLOCK");
    await dialog.getByLabel(/Note/).fill("Rent two months overdue");
    await dialog.getByLabel(/Note/).press("Enter");
    await expect(dialog).toBeHidden();
    const tile = page.locator(`[data-unit-tile="${booking.unit_code}"]`);
    await expect(tile).toHaveAttribute("data-status", "OCCUPIED");
    await expect(tile).toHaveAttribute("data-tenant-block", "OVERLOCK");
    await expect(tile.getByTestId("tenant-block-marker")).toHaveText("overlock");
    await snap(page, "site-ops-board-overlock");

    await page.goto(`/bookings/${booking.reference}`);
    await expect(page.getByTestId("booking-status")).toHaveText("Moved in");
    await expect(page.getByTestId("access-status")).toContainText("Suspended");
    await expect(page.getByTestId("unit-block")).toContainText("Overlocked");
    await expect(page.getByTestId("timeline-entry").filter({ hasText: "Access suspended" }).first()).toBeVisible();
    await snap(page, "site-ops-booking-suspended");

    // Lift the overlock from the board: access is restored.
    await page.goto(`/inventory/LON-01?type=${booking.unit_type_code}&unit=${booking.unit_code}`);
    await drawer.getByRole("button", { name: "Unblock…" }).click();
    await page.getByRole("button", { name: "Unblock", exact: true }).click();
    await expect(page.getByTestId("drawer-notice")).toContainText(`${booking.unit_code} is unblocked`);
    await expect(tile).not.toHaveAttribute("data-tenant-block", /.+/);

    await page.goto(`/bookings/${booking.reference}`);
    await expect(page.getByTestId("access-status")).toContainText("Active");
    await page.getByTestId("move-out-booking").click();
    const moveOut = page.getByTestId("move-out-dialog");
    await moveOut.getByLabel("Note").fill("Keys returned at reception");
    await snap(page, "site-ops-move-out-dialog");
    await moveOut.getByRole("button", { name: "Move out" }).click();
    await expect(moveOut).toBeHidden();
    await expect(page.getByTestId("booking-status")).toHaveText("Moved out");
    await expect(page.getByTestId("access-status")).toContainText("Revoked");
    await expect(page.getByTestId("unit-block")).toContainText("Cleaning");
    await expect(page.getByTestId("move-out-booking")).toHaveCount(0);
    await snap(page, "site-ops-booking-moved-out");

    await page.goto(`/inventory/LON-01?type=${booking.unit_type_code}&unit=${booking.unit_code}`);
    await expect(tile).toHaveAttribute("data-status", "BLOCKED");
    await expect(drawer.locator('[data-block-status="ACTIVE"]')).toContainText(/clean/i);
  });

  test("support cannot reveal a gate code, even by calling the action; a site manager can, and the reveal is on /audit", async ({ page, request }) => {
    test.setTimeout(120_000);
    const booking = await tenant(request);

    await signIn(page, USERS.support);
    await page.goto(`/bookings/${booking.reference}`);
    await expect(page.getByTestId("access-status")).toContainText("Active");
    await expect(page.getByTestId("reveal-access-code")).toHaveCount(0);
    await expect(page.getByTestId("regenerate-access-code")).toHaveCount(0);
    await snap(page, "site-ops-support-no-reveal");
    const forged = await callServerAction(page, serverActionId("server/actions/bookings.ts", "revealAccessCodeAction"), [{ reference: booking.reference }]);
    const body = await forged.text();
    expect(body).toContain("FORBIDDEN");
    expect(body).not.toMatch(/"accessCode"/);

    await page.context().clearCookies();
    await signIn(page, USERS.manager);
    await page.goto(`/bookings/${booking.reference}`);
    await page.getByTestId("reveal-access-code").click();
    await expect(page.getByTestId("access-code")).toHaveText(/^\d{6}$/);
    await snap(page, "site-ops-code-revealed");
    await page.getByTestId("hide-access-code").click();
    await expect(page.getByTestId("access-code")).toHaveCount(0);

    // The audit log, filtered by URL (filters live in the URL): the reveal, by the manager, on the booking.
    await page.goto(`/audit?action=access.reveal&targetId=${booking.reference}`);
    const reveal = page.getByTestId("audit-row").filter({ hasText: "access.reveal" }).filter({ hasText: booking.reference });
    await expect(reveal).toHaveCount(1);
    await expect(reveal).toContainText("manager@demo");
    await expect(reveal).toContainText("Allowed");
    await snap(page, "site-ops-audit-reveal");
  });
});
