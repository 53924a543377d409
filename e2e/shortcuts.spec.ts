import { expect, test } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

/** Keyboard shortcuts, console-wide: "/" search, "?" the list, "g" then a letter to go. */

test.describe("keyboard shortcuts", () => {
  test("/ focuses the page's search box, and typing there stays typing", async ({ page }) => {
    await signIn(page, USERS.opslead);
    await page.goto("/audit");
    const search = page.getByRole("searchbox", { name: "Search" });
    await expect(search).toBeVisible();
    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("/");
    await expect(search).toBeFocused();
    // "g", "b" and "/" typed into the box are text, not shortcuts.
    await page.keyboard.type("g/b");
    await expect(search).toHaveValue("g/b");
    await expect(page).toHaveURL(/\/audit$/);
  });

  test("? lists the shortcuts for the role; the dialog keeps focus and closes with Esc", async ({ page }) => {
    await signIn(page, USERS.support);
    await page.goto("/audit");
    const opener = page.getByTestId("shortcuts-button");
    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("Shift+?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId("shortcut-row")).toHaveText([
      /Focus the page's search box\s*\//,
      /Show these shortcuts\s*\?/,
      /Close a dialog\s*Esc/,
      /Bookings\s*g\s*then\s*b/,
      /Inventory\s*g\s*then\s*i/,
      /Webhooks\s*g\s*then\s*w/,
      /Audit\s*g\s*then\s*a/,
      /KPIs\s*g\s*then\s*k/,
      /API logs\s*g\s*then\s*l/,
      /Catalogue\s*g\s*then\s*c/,
    ]);
    // Support may not open Drift, so no shortcut for it.
    await expect(dialog.getByText("Drift")).toHaveCount(0);
    await snap(page, "shortcuts-dialog");

    // Focus stays inside the open dialog.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => !!document.activeElement?.closest("dialog[open]"))).toBe(true);
    }
    // Shortcuts do not fire behind it.
    await page.keyboard.press("g");
    await page.keyboard.press("b");
    await expect(page).toHaveURL(/\/audit$/);

    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();

    // The header button opens it too, and focus returns to it after closing.
    await opener.click();
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
    await expect(opener).toBeFocused();
  });

  test("g then a letter goes to that screen, only where the role may go", async ({ page, browser }) => {
    await signIn(page, USERS.opslead);
    await page.goto("/audit");
    await page.locator("main").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press("g");
    await expect(page.getByTestId("shortcut-pending")).toBeVisible();
    await page.keyboard.press("i");
    await expect(page).toHaveURL(/\/inventory$/);
    await page.keyboard.press("g");
    await page.keyboard.press("d");
    await expect(page).toHaveURL(/\/drift$/);
    await page.keyboard.press("g");
    await page.keyboard.press("a");
    await expect(page).toHaveURL(/\/audit$/);


    // A site manager may not open Drift: "g d" goes nowhere.
    const context = await browser.newContext();
    const manager = await context.newPage();
    await signIn(manager, USERS.manager);
    await manager.locator("main").click({ position: { x: 5, y: 5 } });
    await manager.keyboard.press("g");
    await expect(manager.getByTestId("shortcut-pending")).not.toContainText("Drift");
    await manager.keyboard.press("d");
    await manager.waitForTimeout(500);
    await expect(manager).not.toHaveURL(/\/drift/);
    await context.close();
  });
});
