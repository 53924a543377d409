import { expect, test } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

test.describe("operational webhooks", () => {
  test("an admin adds an endpoint, sees its secret once, sends a test that lands in the delivery log, disables it, and it is audited", async ({ page, baseURL }) => {
    await signIn(page, USERS.admin);
    await page.goto("/admin");
    await page.getByRole("link", { name: "Operational webhooks" }).click();
    await expect(page.getByRole("heading", { name: "Operational webhooks", level: 1 })).toBeVisible();

    // The demo receiver is the one internal destination demo mode allows; it does not know
    // this endpoint, so the test is answered with a refusal, which the log shows as such.
    const url = `${baseURL}/api/demo-receiver/OPS_${Date.now().toString(36)}`;
    await page.getByLabel("URL").fill(url);
    await page.getByLabel("Description").fill("E2E pager bridge");
    await page.getByLabel("Minimum severity").selectOption("HIGH");
    await page.getByLabel("incident.triggered").check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = page.getByTestId("ops-secret");
    await expect(secret).toContainText(/whsec_[A-Za-z0-9+/=]{40,}/);

    const row = page.getByTestId("ops-endpoint").filter({ hasText: url });
    await expect(row).toContainText("incident.triggered · HIGH and above");
    await row.getByRole("button", { name: "Send test" }).click();
    await expect(row.getByTestId("ops-test-result")).toBeVisible();
    await row.getByRole("button", { name: url }).click();
    const delivery = page.getByTestId("ops-delivery").first();
    await expect(delivery).toContainText("webhook.test");
    await expect(delivery.getByRole("row")).toHaveCount(2); // header + the one attempt
    await snap(page, "admin-operational-webhooks");

    await row.getByRole("button", { name: "Disable" }).click();
    await expect(row.getByText("Disabled", { exact: true })).toBeVisible();

    // the secret is gone after a reload
    await page.reload();
    await expect(page.getByTestId("ops-secret")).toHaveCount(0);

    await page.goto("/audit?action=operational_webhook.*");
    for (const action of ["operational_webhook.create", "operational_webhook.test", "operational_webhook.disable"]) {
      // the action filter's <option>s carry the same text: look at what is shown
      await expect(page.getByText(action, { exact: true }).filter({ visible: true }).first()).toBeVisible();
    }
  });
});
