import { expect, test } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

/**
 * Incidents (/incidents, docs/operations.md#alerts-and-incidents): the seed's PHONEDESK
 * outage has opened its incidents by the first start; an ops lead opens one, follows it to
 * the endpoint, acknowledges it, and finds the acknowledgement in the audit log. A site
 * manager sees only their facilities' incidents.
 */

test.describe("incidents", () => {
  test("an ops lead acknowledges the PHONEDESK incident, and the audit log has it", async ({ page }) => {
    await signIn(page, USERS.opslead);
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Console" });
    await expect(nav.getByRole("link", { name: /Incidents/ }).getByTestId("nav-badge")).toHaveText(/^[1-9]\d*$/);
    // The first screen says so: a banner while incidents wait to be acknowledged.
    const banner = page.getByTestId("incidents-banner");
    await expect(banner).toContainText(/^[1-9]\d* incidents? needs? attention/);
    await expect(banner.getByRole("link", { name: "Review incidents" })).toHaveAttribute("href", "/incidents?status=TRIGGERED");
    await snap(page, "incidents-banner");
    await nav.getByRole("link", { name: /Incidents/ }).click();
    await expect(page).toHaveURL(/\/incidents$/);
    await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
    const target = page.locator('[data-testid="incident-row"][data-status="TRIGGERED"]').filter({ hasText: "PHONEDESK endpoint" }).first();
    await expect(target).toBeVisible();
    const incidentId = await target.getAttribute("data-incident-id");
    expect(incidentId).toMatch(/^inc_[0-9a-z]{26}$/);
    await snap(page, "incidents-list");

    // Filters live in the URL.
    await page.getByLabel("Status").selectOption("all");
    await expect(page).toHaveURL(/[?&]status=all/);
    await page.getByLabel("Status").selectOption("open");
    await expect(page).not.toHaveURL(/status=/);

    await page.locator(`[data-incident-id="${incidentId}"]`).getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${incidentId}$`));
    await expect(page.getByTestId("incident-status")).toHaveText("Triggered");
    await expect(page.getByTestId("timeline-entry").first()).toHaveAttribute("data-kind", "TRIGGERED");
    await expect(page.getByText(/docs\/operations\.md#[a-z-]+/)).toBeVisible();
    await snap(page, "incident-detail");

    // The link leads to the endpoint it is about.
    const subject = page.getByTestId("incident-subject-link");
    const endpointId = (await subject.textContent())!.match(/ep_[0-9a-z]{26}/)![0];
    await subject.click();
    await expect(page).toHaveURL(new RegExp(endpointId));
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`/incidents/${incidentId}$`));

    await page.getByLabel("Note").fill("Calling the phone desk's IT team.");
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await expect(page.getByTestId("incident-status")).toHaveText("Acknowledged");
    const ack = page.getByTestId("timeline-entry").filter({ hasText: "Calling the phone desk's IT team." });
    await expect(ack).toHaveAttribute("data-kind", "ACKNOWLEDGED");
    await expect(ack).toContainText(USERS.opslead);
    await snap(page, "incident-acknowledged");

    await page.goto(`/audit?targetId=${incidentId}`);
    await expect(page.getByTestId("audit-row").filter({ hasText: "incident.acknowledged" })).toBeVisible();
    await snap(page, "incident-audit");
  });

  test("a LON-01 site manager sees no NYC-01 incident, not even by its URL", async ({ browser }) => {
    const lead = await browser.newPage();
    await signIn(lead, USERS.opslead);
    await lead.goto("/incidents?status=all");
    const elsewhere = lead.getByTestId("incident-row").filter({ hasNotText: "LON-01" }).first();
    await expect(elsewhere).toBeVisible();
    const hiddenId = await elsewhere.getAttribute("data-incident-id");
    await lead.close();

    const page = await browser.newPage();
    await signIn(page, USERS.manager);
    await page.goto("/incidents?status=all");
    await expect(page.getByRole("heading", { name: "Incidents", level: 1 })).toBeVisible();
    await expect(page.getByTestId("incident-row").or(page.getByText(/No incidents match|No open incidents/)).first()).toBeVisible();
    await expect(page.getByTestId("incident-row").filter({ hasText: "NYC-01" })).toHaveCount(0);
    await expect(page.getByTestId("incident-row").filter({ hasText: "PHONEDESK" })).toHaveCount(0);
    await expect(page.getByTestId("incidents-banner")).toHaveCount(0); // site managers read incidents, ops leads own them
    await snap(page, "incidents-site-manager");
    const response = await page.goto(`/incidents/${hiddenId}`);
    expect(response?.status()).toBe(404);
    await page.close();
  });
});
