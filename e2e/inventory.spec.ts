import crypto from "node:crypto";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { utcToZonedLocal } from "../components/inventory/zoned-input";
import { USERS, signIn, snap as snapPage } from "./fixtures";

/** A full-page screenshot from the top, so sticky and modal parts sit where a user sees them. */
async function snap(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await snapPage(page, name);
}

test.describe("inventory overview", () => {
  test("shows every facility's seeded pools with counters and inventory_version", async ({ page }) => {
    await signIn(page, USERS.opslead);
    for (const code of ["LON-01", "NYC-01", "SYD-01"]) await expect(page.getByText(code).first()).toBeVisible();
    // LON-01's first card: 9 unit types and a total row
    const london = page.locator("section, article, div").filter({ hasText: "Holdfast London Bermondsey" }).first();
    await expect(london.getByText("10X10-CC").first()).toBeVisible();
    await expect(london.getByText(/LON-01 total/)).toBeVisible();
    await expect(page.getByText(/v\d+/).first()).toBeVisible();
    await snap(page, "inventory-overview-1280");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await snap(page, "inventory-overview-1920");
  });

  test("the API and the console agree on a pool's counters", async ({ page, request }) => {
    const api = await request.get("/api/v1/availability?facility_code=LON-01&unit_type_code=10X10", {
      headers: { authorization: "Bearer hf_demo_marketplace" },
    });
    expect(api.status()).toBe(200);
    const pool = (await api.json()).data[0];
    await signIn(page, USERS.admin);
    // LON-01's card: other facilities (one made by the catalogue journey, say) have a 10X10 too
    const london = page.locator('[data-testid="facility-card"][data-facility="LON-01"]');
    const row = london.getByRole("row").filter({ has: page.getByText("10X10", { exact: true }) }).first();
    await expect(row).toContainText(String(pool.total));
    await expect(row).toContainText(`v${pool.inventory_version}`);
  });
});

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/** A pool's counter on the board, as a number. */
async function counter(page: Page, unitType: string, key: string): Promise<number> {
  const text = await poolCell(page, unitType, key).innerText();
  return Number(text.replace(/[^\d]/g, ""));
}
function poolCell(page: Page, unitType: string, key: string): Locator {
  return page.locator(`[data-testid="pool-row"][data-unit-type="${unitType}"] [data-counter="${key}"]`);
}

/** A hold at LON-01 taken through the partner API, as a marketplace would. */
async function holdViaApi(request: APIRequestContext, unitType: string, idempotencyKey = `e2e-hold-${crypto.randomUUID()}`) {
  const created = await request.post("/api/v1/bookings", {
    headers: { authorization: "Bearer hf_demo_marketplace", "idempotency-key": idempotencyKey },
    data: {
      facility_code: "LON-01",
      unit_type_code: unitType,
      partner_booking_reference: `E2E-${Date.now()}`,
      customer: { name: "Grace Hopper", email: "grace@example.com" },
      move_in_date: new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10),
    },
  });
  expect(created.status()).toBe(201);
  return { idempotencyKey, booking: (await created.json()) as { reference: string; inventory_version: number; unit_code: string } };
}

test.describe("facility board", () => {
  test("a site manager schedules a block and sees the counters change at its start, without reloading", async ({ page, request }) => {
    test.setTimeout(120_000);
    // Other journeys hold units at LON-01 too: block in the unit type with the most free units.
    const pools = await request.get("/api/v1/availability?facility_code=LON-01", { headers: { authorization: "Bearer hf_demo_marketplace" } });
    expect(pools.status()).toBe(200);
    const pool = ((await pools.json()).data as { unit_type_code: string; available: number }[]).reduce((best, p) => (p.available > best.available ? p : best));
    expect(pool.available).toBeGreaterThan(0);
    const unitType = pool.unit_type_code;
    await signIn(page, USERS.manager);
    await page.goto(`/inventory/LON-01?type=${encodeURIComponent(unitType)}`);
    await expect(page.getByRole("heading", { name: /LON-01/ }).first()).toBeVisible();
    await expect(page.locator("[data-testid=pool-row]")).toHaveCount(9);
    const available = await counter(page, unitType, "available");
    const blocked = await counter(page, unitType, "blocked");
    const version = Number((await poolCell(page, unitType, "inventory_version").innerText()).replace(/[^\d]/g, ""));
    await snap(page, "inventory-board-filtered");

    // Only that type's units are on the board now; pick a free one.
    const tiles = page.locator("[data-unit-tile]");
    await expect(tiles.first()).toBeVisible();
    // …and one with no block on it already (the seed schedules some), so the new block cannot overlap one.
    await expect(page.getByTestId("block-row").first()).toBeVisible();
    const unitCode = await page.evaluate(() => {
      const blocked = new Set([...document.querySelectorAll("[data-testid=block-row]")].map((row) => row.getAttribute("data-unit")));
      const tiles = [...document.querySelectorAll('[data-unit-tile][data-status="AVAILABLE"]')];
      return tiles.map((tile) => tile.getAttribute("data-unit-tile")!).find((code) => !blocked.has(code));
    });
    expect(unitCode, "a free unit with no block").toBeTruthy();
    const free = page.locator(`[data-unit-tile="${unitCode}"]`);
    await free.click();
    await expect(page).toHaveURL(new RegExp(`unit=${unitCode}`));
    const drawer = page.getByTestId("unit-drawer");
    await expect(drawer.getByRole("heading", { name: unitCode })).toBeVisible();

    // Keyboard: the dialog opens on the button, Escape closes it, focus goes back.
    const blockButton = drawer.getByRole("button", { name: "Block unit…" });
    await blockButton.click();
    const dialog = page.getByTestId("block-dialog");
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(blockButton).toBeFocused();

    // Enter (in the note) with no reason: refused at the field, nothing saved.
    await blockButton.click();
    await expect(dialog.getByLabel("Reason")).toBeFocused();
    await dialog.getByLabel(/Note/).press("Enter");
    await expect(dialog.getByText("Choose why the unit is blocked.")).toBeVisible();

    await dialog.getByLabel("Reason").selectOption("CLEANING");
    await dialog.getByLabel(/Note/).fill("Deep clean after a leak");
    await dialog.getByLabel("At a time").check();
    const startsAt = new Date(Date.now() + 12_000);
    const start = dialog.getByLabel("Start (facility time)");
    await start.fill(utcToZonedLocal(startsAt, "Europe/London", { withSeconds: true }));
    await snap(page, "inventory-block-dialog");
    await start.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("drawer-notice")).toContainText(`Block scheduled on ${unitCode}`);
    await expect(drawer.locator('[data-block-status="SCHEDULED"]')).toBeVisible();

    // Before its start nothing has changed…
    expect(Date.now()).toBeLessThan(startsAt.getTime());
    expect(await counter(page, unitType, "available")).toBe(available);
    expect(await counter(page, unitType, "blocked")).toBe(blocked);
    await snap(page, "inventory-drawer");

    // …and at its start (the worker's tick, then the board's refresh) the counters move.
    await expect(poolCell(page, unitType, "blocked")).toHaveText(String(blocked + 1), { timeout: 40_000 });
    await expect(poolCell(page, unitType, "available")).toHaveText(String(available - 1));
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt.getTime());
    expect(Number((await poolCell(page, unitType, "inventory_version").innerText()).replace(/[^\d]/g, ""))).toBeGreaterThan(version);
    await expect(page.locator(`[data-unit-tile="${unitCode}"]`)).toHaveAttribute("data-status", "BLOCKED");
    // the drawer stayed open and shows the block active and its unit.blocked event
    await expect(drawer.locator('[data-block-status="ACTIVE"]')).toBeVisible({ timeout: 10_000 });
    await expect(drawer.getByTestId("unit-events")).toContainText("unit.blocked");
    await expect(page).toHaveURL(new RegExp(`unit=${unitCode}`));
    await snap(page, "inventory-board-blocked");

    // Unblock: the unit is free again.
    await drawer.getByRole("button", { name: "Unblock…" }).click();
    await page.getByRole("button", { name: "Unblock", exact: true }).click();
    await expect(page.getByTestId("drawer-notice")).toContainText(`${unitCode} is unblocked`);
    await expect(poolCell(page, unitType, "blocked")).toHaveText(String(blocked));

    // Escape closes the drawer and focus returns to the unit's tile.
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(page.locator(`[data-unit-tile="${unitCode}"]`)).toBeFocused();
  });

  test("another facility is not found for a site manager, even by URL", async ({ page }) => {
    await signIn(page, USERS.manager);
    const response = await page.goto("/inventory/NYC-01");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We couldn't find that" })).toBeVisible();
    await expect(page.getByText("Holdfast New York")).toHaveCount(0);
    // nor through tRPC
    const trpc = await page.request.get(`/api/trpc/inventory.board?input=${encodeURIComponent(JSON.stringify({ json: { facilityCode: "NYC-01" } }))}`);
    expect(trpc.status()).toBe(404);
    await snap(page, "inventory-other-facility-not-found");
  });

  test("filters the board by floor and unit code; the view is a link, the counts follow the filters", async ({ page }) => {
    test.slow(); // eight board reads in one test
    await signIn(page, USERS.support);
    await page.goto("/inventory/LON-01");
    await expect(page.locator("[data-unit-tile]").first()).toBeVisible();
    const filters = page.getByRole("search", { name: "Filter units" });
    await filters.getByLabel("Floor", { exact: true }).selectOption("2");
    await expect(page).toHaveURL(/floor=2/);
    await expect(page.locator('[data-unit-tile^="A-1"]')).toHaveCount(0);
    const upstairs = await page.locator("[data-unit-tile]").evaluateAll((tiles) => tiles.map((t) => t.getAttribute("data-unit-tile")!));
    expect(upstairs.length).toBeGreaterThan(0);
    expect(upstairs.every((code) => code.startsWith("A-2"))).toBe(true);
    // the status chips count the floor's units, and the badge the matching ones
    const chips = await page.locator("[data-status-count]").evaluateAll((spans) => spans.reduce((n, s) => n + Number(s.textContent!.replace(/,/g, "")), 0));
    expect(chips).toBe(upstairs.length);
    // a code, typed and sent with Enter; the floor filter stays
    await filters.getByLabel("Unit code").fill("a-21");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/code=a-21/);
    await expect(page.locator("[data-unit-tile]").first()).toHaveAttribute("data-unit-tile", /^A-21/);
    const found = await page.locator("[data-unit-tile]").evaluateAll((tiles) => tiles.map((t) => t.getAttribute("data-unit-tile")!));
    expect(found.every((code) => code.startsWith("A-21"))).toBe(true);
    await snap(page, "inventory-board-code-floor");
    // the same view from the link alone
    await page.goto(page.url());
    await expect(filters.getByLabel("Unit code")).toHaveValue("a-21");
    await expect(page.locator("[data-unit-tile]")).toHaveCount(found.length);
    // nothing matches: the empty state says so, and Clear filters brings every unit back
    await filters.getByLabel("Unit code").fill("ZZZ");
    await page.keyboard.press("Enter");
    await expect(page.getByText("No units match these filters")).toBeVisible();
    await filters.getByRole("button", { name: "Clear filters" }).click();
    await expect(page.locator("[data-unit-tile]")).toHaveCount(190);
    await expect(filters.getByLabel("Unit code")).toHaveValue("");
  });

  test("support sees the board and the unit history but no block buttons", async ({ page, request }) => {
    const { booking } = await holdViaApi(request, "10X10");
    await signIn(page, USERS.support);
    await page.goto("/inventory/LON-01");
    await expect(page.getByTestId("board-legend")).toBeVisible();
    await expect(page.locator("[data-unit-tile]").first()).toBeVisible();
    // nothing sticks out sideways: the page scrolls only down
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await snap(page, "inventory-board");
    const occupied = page.locator('[data-unit-tile][data-status="OCCUPIED"]').first();
    await occupied.click();
    const drawer = page.getByTestId("unit-drawer");
    await expect(drawer.getByRole("heading", { name: "Bookings" })).toBeVisible();
    await expect(drawer.getByRole("heading", { name: "Events" })).toBeVisible();
    // no block, unblock or call-off button anywhere (the seed has an active and a scheduled block at LON-01)
    await expect(page.getByTestId("block-row").first()).toBeVisible();
    await expect(page.getByRole("button", { name: /Block unit|Unblock|Call off/ })).toHaveCount(0);
    // support may cancel bookings, so the holds board offers release
    await expect(page.locator(`[data-testid="hold-row"][data-reference="${booking.reference}"]`).getByRole("button", { name: /Release/ })).toBeVisible();
    // The units list (as filtered: here, all of them) exports as CSV.
    const [unitsCsv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-units-LON-01").click()]);
    const unitLines = (await streamText(await unitsCsv.createReadStream())).trim().split("\r\n");
    expect(unitLines[0]).toMatch(/^unit_code,unit_type_code,floor,status,/);
    expect(unitLines).toHaveLength(1 + 190);
    const heldUnitLines = unitLines.filter((line) => line.startsWith(`${booking.unit_code},10X10,`));
    expect(heldUnitLines.filter((line) => line.includes(`,held,`) && line.includes(booking.reference)), heldUnitLines.join("\n")).not.toEqual([]);

    // The drawer's URL is shareable: a fresh load opens it again.
    await page.reload();
    await expect(page.getByTestId("unit-drawer")).toBeVisible();
    await snap(page, "inventory-drawer-support");
    await page.setViewportSize({ width: 1920, height: 1080 });
    await snap(page, "inventory-drawer-support-1920");
  });

  test("an ops lead sees a live hold with its countdown and releases it with a reason", async ({ page, request }) => {
    const { idempotencyKey, booking } = await holdViaApi(request, "10X15");

    await signIn(page, USERS.opslead);
    await page.goto("/inventory/LON-01");
    const row = page.locator(`[data-testid="hold-row"][data-reference="${booking.reference}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(idempotencyKey);
    await expect(row).toContainText("MARKETPLACE");
    await expect(row).toContainText(`v${booking.inventory_version}`);
    const timer = row.getByRole("timer");
    await expect(timer).toHaveText(/^1[0-4]:\d\d$/);
    const before = await timer.innerText();
    await expect(timer).not.toHaveText(before, { timeout: 5_000 });
    await row.scrollIntoViewIfNeeded();
    await snap(page, "inventory-holds-board");

    // The holds list exports as CSV, this hold in it.
    const [holdsCsv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-holds-LON-01").click()]);
    expect(holdsCsv.suggestedFilename()).toMatch(/^holdfast-holds-LON-01-.*\.csv$/);
    const holdsText = await streamText(await holdsCsv.createReadStream());
    expect(holdsText.split("\r\n")[0]).toBe(
      "reference,unit_code,unit_type_code,partner_code,partner_booking_reference,customer_name,move_in_date,created_at,hold_expires_at,idempotency_key,correlation_id,inventory_version",
    );
    expect(holdsText).toContain(`${booking.reference},${booking.unit_code},10X15,MARKETPLACE,`);
    expect(holdsText).toContain(idempotencyKey);

    // Blocking the held unit is refused, naming the booking, with the move offered.
    await page.locator(`[data-unit-tile="${booking.unit_code}"]`).click();
    const drawer = page.getByTestId("unit-drawer");
    await drawer.getByRole("button", { name: "Block unit…" }).click();
    const blockDialog = page.getByTestId("block-dialog");
    await blockDialog.getByLabel("Reason").selectOption("PEST");
    await blockDialog.getByRole("button", { name: "Block now" }).click();
    const conflict = blockDialog.getByTestId("block-conflict");
    await expect(conflict).toContainText(booking.reference);
    await expect(conflict.getByRole("button", { name: `Move ${booking.reference} to another unit of its type, then block` })).toBeVisible();
    await snap(page, "inventory-block-conflict");
    await page.keyboard.press("Escape");
    await expect(blockDialog).toBeHidden();
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();

    const releaseButton = row.getByRole("button", { name: /Release/ });
    await releaseButton.click();
    const dialog = page.getByTestId("release-dialog");
    await expect(dialog.getByLabel("Reason")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(dialog.getByText("Say why the hold is released.")).toBeVisible();
    await dialog.getByLabel("Reason").fill("Partner confirmed it was a duplicate");
    await snap(page, "inventory-release-dialog");
    await page.keyboard.press("Enter");
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId("board-notice")).toContainText(`Released hold ${booking.reference}`);
    await expect(row).toHaveCount(0);

    const after = await request.get(`/api/v1/bookings/${booking.reference}`, { headers: { authorization: "Bearer hf_demo_marketplace" } });
    expect(await after.json()).toMatchObject({ status: "cancelled", cancel_reason: "Partner confirmed it was a duplicate" });
  });
});
