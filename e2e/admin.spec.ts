import { expect, test, type Page } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

const unique = () => Date.now().toString(36).toUpperCase() + Math.floor(Math.random() * 1296).toString(36).toUpperCase();

/** What the admin sees of the page, without the page's own text of the secret (asserted apart). */
async function pageText(page: Page): Promise<string> {
  return page.content();
}

test.describe("admin", () => {
  test("an admin creates a partner and a key, sees the secret once, the key works, and revoking it stops it", async ({ page, request }) => {
    const code = `E2E_${unique()}`;
    await signIn(page, USERS.admin);
    await page.goto("/admin");
    await expect(page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: /Partners/ })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await expect(page.getByTestId("partner-row").filter({ hasText: "MARKETPLACE" })).toBeVisible();
    await snap(page, "admin-partners");

    // a partner
    await page.getByRole("button", { name: "New partner" }).click();
    const partnerDialog = page.getByRole("dialog", { name: "New partner" });
    await partnerDialog.getByLabel("Code").fill(code);
    await partnerDialog.getByLabel("Name").fill("E2E Storage Finder");
    await partnerDialog.getByLabel("Kind").selectOption("MARKETPLACE");
    await partnerDialog.getByLabel("Hold TTL (minutes)").fill("20");
    await partnerDialog.getByLabel("Technical contact e-mail").fill("dev@e2e-storage.example");
    await partnerDialog.getByRole("button", { name: "Create partner" }).click();
    await expect(partnerDialog).toBeHidden();
    const partnerRow = page.getByTestId("partner-row").filter({ hasText: code });
    await expect(partnerRow).toContainText("E2E Storage Finder");
    await expect(partnerRow).toContainText("20 min");
    await expect(partnerRow).toContainText("Technical contact: dev@e2e-storage.example");
    await expect(partnerRow).toContainText("0 active");

    // its first key: the tab and the partner are in the URL
    await page.getByRole("button", { name: "Create its first key" }).click();
    await expect(page).toHaveURL(new RegExp(`/admin\\?tab=keys&partner=${code}$`));
    await expect(page.getByRole("heading", { name: new RegExp(`API keys of ${code}`) })).toBeVisible();
    await page.getByRole("button", { name: "Create key" }).first().click();
    const keyDialog = page.getByRole("dialog");
    await expect(keyDialog).toContainText(`Create an API key for ${code}`);
    await keyDialog.getByLabel("Name").fill("production");
    await keyDialog.getByRole("button", { name: "Create key" }).click();
    await expect(keyDialog.getByText("Choose at least one scope.")).toBeVisible();
    await keyDialog.getByLabel("inventory:read").check();
    await keyDialog.getByLabel("LON-01").check();
    await keyDialog.getByLabel("Reads per minute").fill("120");
    await snap(page, "admin-create-key-form");
    await keyDialog.getByRole("button", { name: "Create key" }).click();

    // shown once
    await expect(keyDialog.getByText("This is the only time the key is shown.")).toBeVisible();
    const secretField = keyDialog.getByTestId("api-key-secret");
    await expect(secretField).toBeFocused();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^hf_live_[0-9A-Za-z]{40}$/);
    await snap(page, "admin-create-key-secret");
    await keyDialog.getByRole("button", { name: "I have copied the key" }).click();
    await expect(keyDialog).toBeHidden();

    const keyRow = page.getByTestId("api-key-row").filter({ hasText: "production" });
    await expect(keyRow).toContainText(`${secret.slice(0, 12)}…`);
    await expect(keyRow).toContainText("inventory:read");
    await expect(keyRow).toContainText("LON-01");
    await expect(keyRow).toContainText("Read 120/min");
    await expect(keyRow).toContainText("Active");
    expect(await pageText(page)).not.toContain(secret);
    await snap(page, "admin-keys");
    // never again: not after a reload either
    await page.reload();
    await expect(keyRow).toBeVisible();
    expect(await pageText(page)).not.toContain(secret);

    // the key works — for its one facility — and only within its scopes
    const facilities = await request.get("/api/v1/facilities", { headers: { authorization: `Bearer ${secret}` } });
    expect(facilities.status()).toBe(200);
    expect(((await facilities.json()) as { data: { facility_code: string }[] }).data.map((f) => f.facility_code)).toEqual(["LON-01"]);
    const outOfScope = await request.get("/api/v1/bookings/BK-7F3K2Q", { headers: { authorization: `Bearer ${secret}` } });
    expect(outOfScope.status()).toBe(403);

    // revoked: refused from the next request
    await keyRow.getByRole("button", { name: /Revoke/ }).click();
    const confirm = page.getByRole("dialog", { name: /Revoke/ });
    await expect(confirm).toContainText("cannot be undone");
    await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(confirm).toBeHidden();
    await expect(keyRow).toContainText("Revoked");
    await expect(keyRow.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    const refused = await request.get("/api/v1/facilities", { headers: { authorization: `Bearer ${secret}` } });
    expect(refused.status()).toBe(401);
    expect(await refused.json()).toMatchObject({ code: "UNAUTHENTICATED", type: "/api-docs#error-unauthenticated" });
  });

  test("an admin edits a partner's hold TTL and deactivates it after confirming; its keys stop and start again", async ({ page, request }) => {
    const code = `E2E_${unique()}`;
    await signIn(page, USERS.admin);
    await page.goto("/admin?tab=partners");
    await page.getByRole("button", { name: "New partner" }).click();
    const create = page.getByRole("dialog", { name: "New partner" });
    await create.getByLabel("Code").fill(code);
    await create.getByLabel("Name").fill("E2E Phone Desk");
    await create.getByLabel("Kind").selectOption("PHONE_AGENT");
    await create.getByRole("button", { name: "Create partner" }).click();
    await expect(create).toBeHidden();
    await page.getByRole("button", { name: "Create its first key" }).click();
    await page.getByRole("button", { name: "Create key" }).first().click();
    const keyDialog = page.getByRole("dialog");
    await keyDialog.getByLabel("Name").fill("desk");
    await keyDialog.getByLabel("inventory:read").check();
    await keyDialog.getByRole("button", { name: "Create key" }).click();
    const secret = await keyDialog.getByTestId("api-key-secret").inputValue();
    await keyDialog.getByRole("button", { name: "I have copied the key" }).click();
    const auth = { authorization: `Bearer ${secret}` };
    expect((await request.get("/api/v1/facilities", { headers: auth })).status()).toBe(200);

    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: /Partners/ }).click();
    await expect(page).toHaveURL(/\/admin\?tab=partners$/);
    const row = page.getByTestId("partner-row").filter({ hasText: code });
    await expect(row).toContainText("Phone agent");
    await expect(row).toContainText("15 min");
    await expect(row).toContainText("1 active");
    await row.getByRole("button", { name: /Edit/ }).click();
    const edit = page.getByRole("dialog", { name: `Edit ${code}` });
    await edit.getByLabel("Hold TTL (minutes)").fill("0");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByText(/between 1 and 1,440/)).toBeVisible();
    await edit.getByLabel("Hold TTL (minutes)").fill("30");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText("30 min");

    await row.getByRole("button", { name: /Deactivate/ }).click();
    const confirm = page.getByRole("dialog", { name: `Deactivate ${code}?` });
    await expect(confirm).toContainText("Its 1 active API key stops working at once");
    await snap(page, "admin-partner-deactivate");
    await confirm.getByRole("button", { name: "Deactivate partner" }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toContainText("Inactive");
    expect((await request.get("/api/v1/facilities", { headers: auth })).status()).toBe(401);

    await row.getByRole("button", { name: /Activate/ }).click();
    await page.getByRole("dialog", { name: `Activate ${code}?` }).getByRole("button", { name: "Activate partner" }).click();
    await expect(row).not.toContainText("Inactive");
    expect((await request.get("/api/v1/facilities", { headers: auth })).status()).toBe(200);
  });

  test("an admin creates a site manager, changes the role, disables them, and cannot disable themself", async ({ page, browser }) => {
    const email = `e2e-${unique().toLowerCase()}@example.com`;
    const password = "e2e-initial-password";
    await signIn(page, USERS.admin);
    await page.goto("/admin?tab=users");
    await expect(page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: /Users/ })).toHaveAttribute(
      "aria-current",
      "page",
    );
    const me = page.getByTestId("user-row").filter({ hasText: USERS.admin });
    await expect(me).toContainText("You");
    await expect(me.getByRole("button", { name: /Disable/ })).toBeDisabled();

    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New console user" });
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Name", { exact: true }).fill("Eve Example");
    await dialog.getByLabel("Role").selectOption("SITE_MANAGER");
    await dialog.getByLabel("Initial password").fill("too-short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog.getByText("A site manager needs at least one facility.")).toBeVisible();
    await expect(dialog.getByText("Passwords need at least 12 characters.")).toBeVisible();
    await dialog.getByLabel("LON-01").check();
    await dialog.getByLabel("NYC-01").check();
    await dialog.getByLabel("Initial password").fill(password);
    await snap(page, "admin-create-user");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId("user-row").filter({ hasText: email });
    await expect(row).toContainText("Site manager");
    await expect(row).toContainText("LON-01");
    await expect(row).toContainText("NYC-01");
    await expect(row).toContainText("Active");
    await expect(row).toContainText("Never");
    await snap(page, "admin-users");

    // the new user can sign in with the initial password
    const other = await browser.newContext();
    const theirPage = await other.newPage();
    await signIn(theirPage, email, password);
    await expect(theirPage.getByTestId("current-user")).toContainText("Site manager");

    await row.getByRole("button", { name: /Edit/ }).click();
    const edit = page.getByRole("dialog", { name: "Edit Eve Example" });
    await edit.getByLabel("Role").selectOption("OPS_LEAD");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit).toBeHidden();
    await expect(row).toContainText("Ops lead");
    await expect(row).not.toContainText("LON-01");
    // a role change ends their sessions (docs/operations.md#sessions): signed in again, they are an ops lead
    await theirPage.goto("/inventory");
    await expect(theirPage).toHaveURL(/\/login/);
    await signIn(theirPage, email, password);
    await expect(theirPage.getByTestId("current-user")).toContainText("Ops lead");

    await row.getByRole("button", { name: /Disable/ }).click();
    const confirm = page.getByRole("dialog", { name: "Disable Eve Example?" });
    await expect(confirm).toContainText("loses access at once");
    await confirm.getByRole("button", { name: "Disable user" }).click();
    await expect(row).toContainText("Disabled");
    // signed out at once
    await theirPage.goto("/inventory");
    await expect(theirPage).toHaveURL(/\/login/);
    await other.close();
  });

  test("a support user is refused /admin with 403", async ({ page }) => {
    await signIn(page, USERS.support);
    await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
    const response = await page.goto("/admin?tab=keys");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: /don.t have access/i })).toBeVisible();
    await expect(page.getByText("hf_live_")).toHaveCount(0);
  });
});
