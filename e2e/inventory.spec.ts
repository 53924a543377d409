import { expect, test } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

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
    const row = page.getByRole("row").filter({ has: page.getByText("10X10", { exact: true }) }).first();
    await expect(row).toContainText(String(pool.total));
    await expect(row).toContainText(`v${pool.inventory_version}`);
  });
});
