import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

/** The cards finished loading (no skeleton) and the roll-up has run over the seed's history. */
async function kpisLoaded(page: Page) {
  await expect(page.getByTestId("kpis-loading")).toHaveCount(0);
  await expect(page.getByTestId("kpi-card").first()).toBeVisible();
}

test.describe("KPIs", () => {
  test("an ops lead reads a facility's KPIs and exports CSV", async ({ page }) => {
    await signIn(page, USERS.opslead);
    await page.goto("/kpis");
    await expect(page.getByRole("heading", { level: 1, name: "KPIs" })).toBeVisible();
    await kpisLoaded(page);

    await page.getByLabel("Facility").selectOption("LON-01");
    await expect(page).toHaveURL(/facility=LON-01/);
    await page.getByRole("button", { name: "30 d", exact: true }).click();
    await expect(page).toHaveURL(/range=30d/);
    await expect(page.getByText(/LON-01 · .* · all partners/)).toBeVisible();
    await kpisLoaded(page);

    const conversion = page.locator('[data-kpi="hold_conversion"]');
    await expect(conversion.getByTestId("kpi-definition")).toContainText("Holds confirmed ÷ holds that ended");
    await expect(conversion.getByRole("img", { name: "Hold-to-confirm conversion chart" })).toBeVisible();
    await expect(conversion.getByText("Daily buckets: UTC days")).toBeVisible();
    await expect(conversion.getByTestId("kpi-summary")).toHaveText(/\d+(\.\d)? %/);
    const occupancy = page.locator('[data-kpi="occupancy"]');
    await expect(occupancy.getByRole("img", { name: "Occupancy chart" })).toBeVisible();
    await expect(occupancy.getByTestId("kpi-summary")).toHaveText(/\d+(\.\d)? %/);
    // partner-API KPIs are not recorded per facility, and say so
    await expect(page.getByTestId("kpis-unavailable").locator('[data-kpi="booking_success"]')).toContainText("Not recorded per facility");
    await snap(page, "kpis-ops-lead-lon-01-30d");

    const [download] = await Promise.all([page.waitForEvent("download"), conversion.getByTestId("export-kpi-hold-conversion").click()]);
    expect(download.suggestedFilename()).toMatch(/^holdfast-kpi-hold-conversion-.*\.csv$/);
    const csv = fs.readFileSync((await download.path())!, "utf8");
    const [header, ...rows] = csv.trimEnd().split("\r\n");
    expect(header).toBe(
      "bucket_start_utc,bucket (UTC day),Conversion (%),Confirmed (count),Expired (count),Cancelled before confirmation (count)",
    );
    expect(rows).toHaveLength(30);
    let confirmed = 0;
    for (const row of rows) {
      const [start, , rate, ...counts] = row.split(",");
      expect(start).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
      const [c, e, r] = counts.map(Number) as [number, number, number];
      confirmed += c;
      // each row's rate is its own counts' rate, as the chart shows it
      if (c + e + r === 0) expect(rate).toBe("");
      else expect(Number(rate)).toBeCloseTo((c / (c + e + r)) * 100, 2);
    }
    // the seed's 90 days of history reached the roll-up
    expect(confirmed).toBeGreaterThan(10);

    // hourly buckets are labelled in the facility's time
    await page.getByRole("button", { name: "24 h", exact: true }).click();
    await expect(page).toHaveURL(/range=24h/);
    await expect(occupancy.getByText("Hourly buckets, times in Europe/London")).toBeVisible();
    await snap(page, "kpis-ops-lead-lon-01-24h");

    // everything, every partner, 90 days
    await page.goto("/kpis?range=90d");
    await kpisLoaded(page);
    await expect(page.locator('[data-kpi="booking_success"]').getByTestId("kpi-definition")).toBeVisible();
    await snap(page, "kpis-ops-lead-all-90d");
  });

  test("a site manager sees only their facility", async ({ page }) => {
    await signIn(page, USERS.manager);
    await page.goto("/kpis?range=30d");
    await kpisLoaded(page);
    await expect(page.getByText(/Your facilities · all partners/)).toBeVisible();
    const options = await page.getByLabel("Facility").locator("option").allTextContents();
    expect(options.map((o) => o.split(" ")[0])).toEqual(["My", "LON-01"]);
    await expect(page.getByTestId("kpis-unavailable").locator('[data-kpi="booking_success"]')).toContainText(
      "not shown to users who see only their own facilities",
    );
    await expect(page.locator('[data-kpi="occupancy"]').getByRole("img", { name: "Occupancy chart" })).toBeVisible();
    await snap(page, "kpis-site-manager-30d");

    await page.goto("/kpis?facility=NYC-01");
    await expect(page.getByTestId("error-state")).toContainText(/not found/i);
  });
});
