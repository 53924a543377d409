import crypto from "node:crypto";
import { expect, test } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

test.describe("drift", () => {
  test("the seeded drift is on /drift at first start; support cannot see it", async ({ page }) => {
    await signIn(page, USERS.opslead);
    await page.goto("/drift");
    await expect(page.getByRole("heading", { name: "Drift", level: 1 })).toBeVisible();
    await expect(page.getByTestId("run-row").first()).toBeVisible();
    await expect(page.getByTestId("drift-trend-chart")).toBeVisible();
    await snap(page, "drift-overview");

    await page.getByRole("link", { name: "Partner sync" }).click();
    await expect(page).toHaveURL(/view=partners/);
    await expect(page.getByTestId("sync-row").first()).toBeVisible();
    // PHONEDESK's endpoint went through an outage in the seeded history (dead letters).
    await expect(page.getByTestId("sync-row").filter({ hasText: "PHONEDESK" }).first()).toContainText(/v\d+/);
    await snap(page, "drift-partner-sync");

    await page.context().clearCookies();
    await signIn(page, USERS.support);
    await page.goto("/drift");
    await expect(page.getByRole("heading", { name: "Drift", level: 1 })).toHaveCount(0);
  });

  test("an ops lead runs reconciliation and applies a correction", async ({ page, request }) => {
    // A partner's system reports two units more than the pool has (a realistic fault,
    // through the real partner API): what reconciliation must find.
    const pool = await request.get("/api/v1/availability?facility_code=NYC-01&unit_type_code=10X10", {
      headers: { authorization: "Bearer hf_demo_marketplace" },
    });
    expect(pool.status()).toBe(200);
    const current = (await pool.json()).data[0];
    const reported = await request.post("/api/v1/availability-snapshots", {
      headers: { authorization: "Bearer hf_demo_marketplace", "idempotency-key": `e2e-drift-${crypto.randomUUID()}` },
      data: { facility_code: "NYC-01", unit_type_code: "10X10", available: current.available + 2, inventory_version: current.inventory_version },
    });
    expect(reported.status()).toBe(201);

    await signIn(page, USERS.opslead);
    await page.goto("/drift");
    const runCard = page.getByTestId("run-now-card");
    await runCard.getByRole("button", { name: "Run now" }).click();
    // Queued → scanning → finished, shown as it goes (the worker runs it).
    const finished = runCard.getByTestId("run-finished");
    await expect(finished).toBeVisible({ timeout: 45_000 });
    await expect(finished).toContainText(/Run finished: \d+ discrepancies found/);
    await snap(page, "drift-run-finished");
    await finished.getByRole("link", { name: /View run/ }).click();
    await expect(page).toHaveURL(/\/drift\/rec_/);

    // Filter to the partner snapshot drift: the filter goes into the URL.
    await page.getByLabel("Kind").selectOption("PARTNER_SNAPSHOT");
    await expect(page).toHaveURL(/kind=PARTNER_SNAPSHOT/);
    const item = page.getByTestId("discrepancy").filter({ hasText: `MARKETPLACE reports ${current.available + 2} available in NYC-01 10X10` });
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId("expected-actual")).toContainText(String(current.available));
    await expect(item.getByRole("link", { name: "Partner MARKETPLACE" })).toBeVisible();
    await snap(page, "drift-run-detail");

    await item.getByRole("button", { name: "Apply correction" }).click();
    const dialog = page.getByTestId("correction-dialog");
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("Re-announce the pool's current state");
    await dialog.getByLabel("Note").fill("Partner double-counted a cancellation; re-announced.");
    await snap(page, "drift-correction-dialog");
    await dialog.getByRole("button", { name: "Apply correction" }).click();
    await expect(dialog).toBeHidden();
    await expect(item).toHaveAttribute("data-status", "CORRECTED");
    await expect(item.getByTestId("resolution")).toContainText(/Corrected by opslead@demo\.holdfast.*re-announced to partners/);
    await snap(page, "drift-corrected");

    // The correction is an event partners receive: the pool's version moved on by one.
    const after = await request.get("/api/v1/availability?facility_code=NYC-01&unit_type_code=10X10", {
      headers: { authorization: "Bearer hf_demo_marketplace" },
    });
    expect((await after.json()).data[0].inventory_version).toBe(current.inventory_version + 1);
  });
});
