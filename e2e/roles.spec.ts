import { expect, test } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";
import { callServerAction, serverActionId } from "./server-actions";

/**
 * docs/domain.md#roles-and-permissions, as each demo user meets it: the navigation offers
 * exactly the screens the role may open, every other screen answers 403 even by its URL, a
 * site manager never sees another facility, and a forged server-action call is refused and
 * audited.
 */

const ALL_ROUTES = ["/incidents", "/bookings", "/inventory", "/catalogue", "/webhooks", "/drift", "/kpis", "/audit", "/api-logs", "/admin"] as const;

const ROLES = [
  { role: "support", email: USERS.support, nav: [/^Incidents/, "Bookings", "Inventory", "Catalogue", "Webhooks", "KPIs", "Audit", "API logs", "API docs"], allowed: ["/incidents", "/bookings", "/inventory", "/catalogue", "/webhooks", "/kpis", "/audit", "/api-logs"] },
  { role: "site manager", email: USERS.manager, nav: [/^Incidents/, "Bookings", "Inventory", "Catalogue", "Webhooks", "KPIs", "Audit", "API logs", "API docs"], allowed: ["/incidents", "/bookings", "/inventory", "/catalogue", "/webhooks", "/kpis", "/audit", "/api-logs"] },
  { role: "ops lead", email: USERS.opslead, nav: [/^Incidents/, "Bookings", "Inventory", "Catalogue", "Webhooks", "Drift", "KPIs", "Audit", "API logs", "API docs"], allowed: ["/incidents", "/bookings", "/inventory", "/catalogue", "/webhooks", "/drift", "/kpis", "/audit", "/api-logs"] },
  { role: "admin", email: USERS.admin, nav: [/^Incidents/, "Bookings", "Inventory", "Catalogue", "Webhooks", "Drift", "KPIs", "Audit", "API logs", "Admin", "API docs"], allowed: [...ALL_ROUTES] },
] as const;

test.describe("roles", () => {
  for (const { role, email, nav, allowed } of ROLES) {
    test(`${role}: the navigation shows exactly the screens the role may open, and the others are forbidden`, async ({ page }) => {
      // Ten screens rendered in turn: generous on a loaded machine.
      test.setTimeout(180_000);
      await signIn(page, email);
      const links = page.getByRole("navigation", { name: "Console" }).getByRole("link");
      await expect(links).toHaveText([...nav]);

      for (const route of ALL_ROUTES) {
        const response = await page.goto(route);
        if ((allowed as readonly string[]).includes(route)) {
          expect(response?.status(), `${role} opens ${route}`).toBe(200);
          await expect(page.getByRole("heading", { name: /don.t have access/i })).toHaveCount(0);
        } else {
          expect(response?.status(), `${role} is refused ${route}`).toBe(403);
          await expect(page.getByRole("heading", { name: /don.t have access/i })).toBeVisible();
          // Nothing of the screen itself, not even its heading.
          await expect(page.getByRole("heading", { level: 1 })).toHaveText(/don.t have access/i);
        }
      }
      if (role === "support") await snap(page, "roles-support-forbidden-admin");
    });
  }

  test("a site manager typing another facility's URL gets not found", async ({ page }) => {
    await signIn(page, USERS.manager);
    for (const url of ["/inventory/NYC-01", "/inventory/SYD-01"]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(404);
      await expect(page.getByRole("heading", { name: /couldn.t find that/i })).toBeVisible();
      await expect(page.getByText("NYC-01")).toHaveCount(0);
    }
    await snap(page, "roles-manager-other-facility");
  });

  test("a forged server-action call is refused, changes nothing, and is audited as DENIED", async ({ page, browser }) => {
    const forgedCode = `FORGED_${Date.now().toString(36).toUpperCase()}`;
    const action = serverActionId("server/actions/admin.ts", "createPartnerAction");

    // Support, signed in, has no "Create partner" button anywhere — so calls the action by hand.
    await signIn(page, USERS.support);
    expect((await page.goto("/admin"))?.status()).toBe(403);
    await expect(page.getByRole("button", { name: /new partner|create partner/i })).toHaveCount(0);
    const response = await callServerAction(page, action, [{ code: forgedCode, name: "Forged partner", kind: "OTHER" }]);
    const body = await response.text();
    expect(response.status(), body.slice(0, 500)).toBeLessThan(500);
    expect(body).toContain('"code":"FORBIDDEN"');
    expect(body).toContain('"ok":false');
    expect(body).not.toContain(forgedCode.toLowerCase());

    // As the admin: no such partner, and the refusal is on the audit log.
    const adminContext = await browser.newContext();
    const admin = await adminContext.newPage();
    await signIn(admin, USERS.admin);
    await admin.goto("/admin?tab=partners");
    await expect(admin.getByRole("table", { name: /partners/i })).toBeVisible();
    // The button support never saw is there for the role that holds the permission.
    await expect(admin.getByRole("button", { name: "New partner" })).toBeVisible();
    await expect(admin.getByText(forgedCode)).toHaveCount(0);

    await admin.goto(`/audit?result=DENIED&action=partner.create&actor=${encodeURIComponent(USERS.support)}`);
    const row = admin.getByTestId("audit-row").first();
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute("data-result", "DENIED");
    await expect(row).toContainText(USERS.support);
    await expect(row).toContainText("partner.create");
    await expect(row).toContainText("admin.manage");
    await expect(row.getByText("Denied", { exact: true })).toBeVisible();
    await row.getByRole("button", { name: /details/i }).click();
    await expect(admin.getByTestId("audit-details").first()).toContainText("Missing permission admin.manage");
    await snap(admin, "roles-forged-action-audited");
    await adminContext.close();
  });
});
