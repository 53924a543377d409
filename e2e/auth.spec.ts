import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, USERS, signIn, snap } from "./fixtures";

test.describe("sign-in", () => {
  test("the sign-in page is what a signed-out visitor gets", async ({ page }) => {
    await page.goto("/inventory");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Finventory/);
    await expect(page.getByRole("heading", { name: "Sign in to the operations console" })).toBeVisible();
    await expect(page.getByLabel("Email")).toBeFocused();
    await snap(page, "login");
  });

  test("a wrong password is refused with a clear message and no session", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill(USERS.support);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page.locator("#login-error")).toContainText("do not match an active account");
    await expect(page).toHaveURL(/\/login/);
    await snap(page, "login-wrong-password");
    await page.goto("/inventory");
    await expect(page).toHaveURL(/\/login/);
  });

  for (const [role, email, navVisible, navHidden] of [
    ["support", USERS.support, ["Bookings", "Inventory", "Webhooks", "KPIs", "Audit", "API logs"], ["Admin", "Drift"]],
    ["site manager", USERS.manager, ["Bookings", "Inventory", "KPIs", "API logs"], ["Admin", "Drift"]],
    ["ops lead", USERS.opslead, ["Bookings", "Inventory", "Webhooks", "Drift", "KPIs", "Audit"], ["Admin"]],
    ["admin", USERS.admin, ["Bookings", "Inventory", "Webhooks", "Drift", "KPIs", "Audit", "API logs", "Admin"], []],
  ] as const) {
    test(`${role} signs in and sees the navigation for the role`, async ({ page }) => {
      await signIn(page, email, DEMO_PASSWORD);
      await expect(page).toHaveURL(/\/inventory$/);
      const nav = page.getByRole("navigation");
      for (const item of navVisible) await expect(nav.getByRole("link", { name: item, exact: true })).toBeVisible();
      for (const item of navHidden) await expect(nav.getByRole("link", { name: item, exact: true })).toHaveCount(0);
      await snap(page, `inventory-${role.replace(" ", "-")}`);
      await page.getByRole("button", { name: /sign out/i }).click();
      await expect(page).toHaveURL(/\/login/);
    });
  }

  test("a role is denied a screen it may not see, even by typing its URL", async ({ page }) => {
    await signIn(page, USERS.support);
    const response = await page.goto("/admin");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: /don.t have access/i })).toBeVisible();
    await snap(page, "admin-denied-support");
  });

  test("a site manager never sees another facility", async ({ page }) => {
    await signIn(page, USERS.manager);
    await expect(page.getByText("LON-01").first()).toBeVisible();
    await expect(page.getByText("NYC-01")).toHaveCount(0);
    const response = await page.goto("/inventory/NYC-01");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: /couldn.t find that/i })).toBeVisible();
    await snap(page, "manager-other-facility");
  });
});
