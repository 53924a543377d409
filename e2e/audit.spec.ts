import fs from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";
import { callServerAction, serverActionId } from "./server-actions";

/**
 * The audit log (/audit): filters held in the URL, denials included, every row linked
 * to its target, details and correlation ids at hand, CSV export, and a site manager
 * limited to their facilities.
 */

const rows = (page: Page) => page.getByTestId("audit-row");

/** A refusal to look for: support forging the admin-only "revoke API key" call. */
async function forgeDenial(browser: Browser): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, USERS.support);
  const action = serverActionId("server/actions/admin.ts", "revokeApiKeyAction");
  const response = await callServerAction(page, action, [{ apiKeyId: crypto.randomUUID() }]);
  expect(await response.text()).toContain('"code":"FORBIDDEN"');
  await context.close();
}

test.describe("audit log", () => {
  test("an admin filters to denials, reads one, and shares the view as a link", async ({ page, browser }) => {
    await forgeDenial(browser);
    await signIn(page, USERS.admin);
    await page.goto("/audit");
    await expect(page.getByRole("heading", { name: "Audit", level: 1 })).toBeVisible();
    await expect(rows(page).first()).toBeVisible();

    await page.getByLabel("Result").selectOption("DENIED");
    await expect(page).toHaveURL(/[?&]result=DENIED/);
    await expect(rows(page).first()).toHaveAttribute("data-result", "DENIED");
    for (const result of await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-result")))) expect(result).toBe("DENIED");

    // Narrow to the actor by typing (Enter applies).
    await page.getByLabel("Actor", { exact: true }).fill("support@");
    await page.getByLabel("Actor", { exact: true }).press("Enter");
    await expect(page).toHaveURL(/actor=support%40/);
    const row = rows(page).filter({ hasText: "api_key.revoke" }).first();
    await expect(row).toContainText(USERS.support);
    await expect(row).toContainText("Permission");
    await expect(row).toContainText("admin.manage");
    // A permission is not a page: no link for it.
    await expect(row.getByTestId("audit-target-link")).toHaveCount(0);

    await row.getByRole("button", { name: /details/i }).click();
    const details = page.getByTestId("audit-details").first();
    await expect(details).toContainText("Missing permission admin.manage");
    await expect(details).toContainText("IP address");
    await expect(row.getByRole("button", { name: "Copy" })).toBeVisible();
    await snap(page, "audit-denied-filtered");

    // The URL is the view: a fresh load shows the same filter and rows.
    const url = page.url();
    await page.goto(url);
    await expect(page.getByLabel("Result")).toHaveValue("DENIED");
    await expect(page.getByLabel("Actor", { exact: true })).toHaveValue("support@");
    await expect(rows(page).first()).toHaveAttribute("data-result", "DENIED");

    // Clearing brings everything back.
    await page.getByRole("link", { name: "Clear all" }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByLabel("Result")).toHaveValue("");
  });

  test("every row links to its target", async ({ page }) => {
    await signIn(page, USERS.admin);

    await page.goto("/audit?action=booking.*");
    const bookingLink = rows(page).first().getByTestId("audit-target-link");
    await expect(bookingLink).toHaveAttribute("href", /^\/bookings\/BK-[A-Z0-9]+$/);

    await page.goto("/audit?targetType=maintenance_block");
    const blockLink = rows(page).first().getByTestId("audit-target-link");
    await expect(blockLink).toHaveAttribute("href", /^\/inventory\/(LON|NYC|SYD)-01\?unit=[A-Z0-9-]+$/);
    await expect(blockLink).toHaveText(/^(LON|NYC|SYD)-01 · [A-Z0-9-]+$/);
    await snap(page, "audit-blocks");
    const href = await blockLink.getAttribute("href");
    await blockLink.click();
    await expect(page).toHaveURL(new RegExp(`${href!.replace("?", "\\?")}$`));

    // The correlation id filters to everything one request did.
    await page.goto("/audit?action=booking.cancel");
    const first = rows(page).first();
    const correlation = first.getByRole("link", { name: /^(cor_|seed|[0-9a-f-]{8})/ }).first();
    const correlationId = (await correlation.textContent())!.trim();
    await correlation.click();
    await expect(page).toHaveURL(new RegExp(`correlationId=${encodeURIComponent(correlationId)}`));
    await expect(rows(page).first()).toBeVisible();
    await expect(page.getByLabel("Correlation id")).toHaveValue(correlationId);
  });

  test("older entries load by page, and the filtered list exports as CSV", async ({ page }) => {
    await signIn(page, USERS.opslead);
    await page.goto("/audit?action=booking.*");
    await expect(rows(page)).toHaveCount(50);
    await page.getByRole("button", { name: "Load older entries" }).click();
    await expect(rows(page)).toHaveCount(100);
    const times = await rows(page).locator("time").evaluateAll((els) => els.map((el) => el.getAttribute("datetime")!));
    expect([...times].sort().reverse()).toEqual(times);

    await page.goto("/audit?result=SUCCESS&targetType=maintenance_block");
    await expect(rows(page).first()).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-audit").click()]);
    expect(download.suggestedFilename()).toMatch(/^holdfast-audit-.*\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8").trim().split("\r\n");
    expect(csv[0]).toBe("occurred_at,actor_type,actor,action,target_type,target_id,target,result,reason,facility,ip,user_agent,scope,correlation_id,details");
    expect(csv.length).toBeGreaterThan(1);
    for (const line of csv.slice(1)) expect(line).toMatch(/,maintenance_block,.*,SUCCESS,/);
  });

  test("a site manager sees only their facility's entries", async ({ page }) => {
    await signIn(page, USERS.manager);
    await page.goto("/audit");
    await expect(page.getByText("Showing entries for LON-01 only.")).toBeVisible();
    await expect(rows(page).first()).toBeVisible();
    const facilities = await rows(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-facility")));
    expect(new Set(facilities)).toEqual(new Set(["LON-01"]));
    await snap(page, "audit-site-manager");

    await page.goto("/audit?facility=NYC-01");
    await expect(page.getByText("No entries match these filters")).toBeVisible();
    await expect(rows(page)).toHaveCount(0);
  });
});
