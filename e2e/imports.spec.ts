import { expect, test, type Page } from "@playwright/test";
import { USERS, fillNewFacility, signIn, snap } from "./fixtures";

// Catalogue imports in the console (docs/domain.md#catalogue-imports): an ops lead uploads a
// file of 500 new units and two broken rows, sees the dry run's diff with the broken rows'
// lines, applies it, watches the worker's progress to the end, and finds the units on the
// board. A support user has no way in.

const stamp = Date.now().toString(36).toUpperCase().slice(-5);
const FACILITY = `IMP-${stamp}`;
const TYPE = "5X5";

/** 500 new units, with a bad floor on line 102 and an unknown unit type on line 303 (the header is line 1). */
function unitsCsv(): string {
  const lines = ["code,unit_type_code,floor,retired"];
  for (let i = 1; i <= 500; i += 1) {
    lines.push(`U${stamp}-${String(i).padStart(3, "0")},${TYPE},${i % 3},no`);
    if (i === 100) lines.push(`BAD${stamp}-1,${TYPE},first,no`);
    if (i === 300) lines.push(`BAD${stamp}-2,NOPE,1,no`);
  }
  return `${lines.join("\n")}\n`;
}

async function createFacilityWithType(page: Page) {
  await page.goto("/catalogue");
  const dialog = await fillNewFacility(page, {
    code: FACILITY,
    name: "Import Self Storage",
    address: "1 Bulk Lane",
    city: "Leeds",
    postalCode: "LS1 1AA",
    timeZone: "Europe/London",
    accessHours: "Daily 06:00–22:00",
  });
  await dialog.getByRole("button", { name: "Create facility" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("heading", { name: new RegExp(`${FACILITY} · Import Self Storage`) })).toBeVisible();

  await page.getByRole("button", { name: "Add unit type" }).click();
  const typeDialog = page.getByRole("dialog", { name: `New unit type at ${FACILITY}` });
  await typeDialog.getByLabel("Code", { exact: true }).fill(TYPE);
  await typeDialog.getByLabel("Name", { exact: true }).fill("5 × 5");
  await typeDialog.getByLabel("Width (ft)", { exact: true }).fill("5");
  await typeDialog.getByLabel("Depth (ft)", { exact: true }).fill("5");
  await typeDialog.getByLabel(/Monthly rate/).fill("39.50");
  await typeDialog.getByRole("button", { name: "Create unit type" }).click();
  await expect(typeDialog).toBeHidden();
}

test.describe("catalogue imports", () => {
  test.describe.configure({ mode: "serial" });
  let importUrl = "";

  test("an ops lead imports 500 units from a CSV: preview, apply, progress, the board", async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page, USERS.opslead);
    await createFacilityWithType(page);
    await expect(page).toHaveURL(new RegExp(`facility=${FACILITY}`));
    const imports = page.getByRole("region", { name: "Imports" });
    await expect(imports.getByText(`No imports yet at ${FACILITY}.`)).toBeVisible();
    await imports.getByRole("link", { name: "Import units…" }).click();

    // the upload form: the facility chosen, the columns described, a template
    await expect(page.getByRole("heading", { name: "Import units", level: 1 })).toBeVisible();
    const form = page.getByRole("form", { name: "Import units" });
    await expect(form.getByLabel("Facility")).toHaveValue(FACILITY);
    await expect(form.getByText("code,unit_type_code,floor,retired")).toBeVisible();
    await expect(form.getByRole("link", { name: "Download a template (CSV)" })).toHaveAttribute("download", "units-template.csv");
    const file = form.getByLabel("File (CSV or JSON)");
    await expect(file).toBeFocused();

    // no file, then a broken file: the message at the field, nothing created
    await form.getByRole("button", { name: "Upload and preview" }).click();
    await expect(form.getByText("Choose a CSV or JSON file.")).toBeVisible();
    await file.setInputFiles({ name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from("code,type,size\nA-1,5X5,1\n") });
    await form.getByRole("button", { name: "Upload and preview" }).click();
    await expect(form.getByText(/Unknown columns type, size: the columns are code, unit_type_code, floor, retired/)).toBeVisible();
    await expect(file).toHaveAttribute("aria-invalid", "true");
    await snap(page, "imports-upload-error");

    // the real file, submitted from the keyboard
    await file.setInputFiles({ name: `units-${stamp}.csv`, mimeType: "text/csv", buffer: Buffer.from(unitsCsv()) });
    await file.focus();
    await page.keyboard.press("Tab");
    await expect(form.getByRole("link", { name: "Download a template (CSV)" })).toBeFocused();
    await page.keyboard.press("Tab");
    await expect(form.getByRole("button", { name: "Upload and preview" })).toBeFocused();
    await page.keyboard.press("Enter");

    // the preview: the dry run's counts and the broken rows with their lines
    await expect(page).toHaveURL(/\/catalogue\/imports\/imp_[A-Za-z0-9]+$/, { timeout: 30_000 });
    importUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId("import-status")).toHaveText("Ready to apply", { timeout: 60_000 });
    await expect(page.getByTestId("import-count-add")).toHaveText("500");
    await expect(page.getByTestId("import-count-change")).toHaveText("0");
    await expect(page.getByTestId("import-count-retire")).toHaveText("0");
    await expect(page.getByTestId("import-count-errors")).toHaveText("2");
    const errors = page.getByRole("table", { name: "Rows with errors" });
    await expect(errors.getByRole("row")).toHaveCount(3);
    await expect(errors.getByRole("row").nth(1)).toContainText("102");
    await expect(errors.getByRole("row").nth(1)).toContainText("floor must be a whole number");
    await expect(errors.getByRole("row").nth(2)).toContainText("303");
    await expect(errors.getByRole("row").nth(2)).toContainText("NOPE");
    await snap(page, "imports-preview");

    // the changes, paged by 50
    await page.getByRole("button", { name: /^Changes \(500\)/ }).click();
    await expect(page).toHaveURL(/rows=changes/);
    const changes = page.getByRole("table", { name: "Changes" });
    await expect(changes.getByRole("row")).toHaveCount(51);
    await expect(changes.getByRole("row").nth(1)).toContainText(`U${stamp}-001`);
    await expect(changes.getByRole("row").nth(1)).toContainText(`New ${TYPE} unit on floor 1`);
    await page.getByRole("button", { name: "Next 50" }).click();
    await expect(changes.getByRole("row").nth(1)).toContainText(`U${stamp}-051`);
    await page.getByRole("button", { name: "Previous" }).click();
    await expect(changes.getByRole("row").nth(1)).toContainText(`U${stamp}-001`);
    await snap(page, "imports-changes");
    await page.getByRole("button", { name: /^Errors \(2\)/ }).click();

    // apply, with the counts confirmed
    await page.getByRole("button", { name: "Apply…" }).click();
    const confirm = page.getByRole("dialog", { name: "Apply this import?" });
    await expect(confirm.getByTestId("apply-summary")).toHaveText(`Apply 500 units to add, 0 to change, 0 to retire at ${FACILITY}? 2 rows with errors are left out.`);
    await snap(page, "imports-apply-confirm");
    await confirm.getByRole("button", { name: "Apply import" }).click();
    await expect(confirm).toBeHidden();

    // the progress refreshes by itself until it completes
    const status = page.getByTestId("import-status");
    await expect(status).toHaveText(/Applying|Completed/);
    if ((await status.textContent()) === "Applying") {
      await expect(page.getByRole("progressbar", { name: "Applying" })).toBeVisible();
      await snap(page, "imports-applying");
    }
    await expect(status).toHaveText("Completed", { timeout: 120_000 });
    await expect(page.getByRole("progressbar")).toHaveCount(0);
    await expect(page.getByTestId("import-count-added")).toHaveText("500");
    await expect(page.getByTestId("import-count-errors")).toHaveText("2");
    await expect(page.getByRole("button", { name: "Cancel import…" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Apply…" })).toHaveCount(0);
    await snap(page, "imports-completed");

    // the units on the board
    await page.getByRole("link", { name: `See them on ${FACILITY}'s board` }).click();
    await expect(page).toHaveURL(new RegExp(`/inventory/${FACILITY}$`));
    await page.goto(`/inventory/${FACILITY}?type=${TYPE}`);
    // the board shows one page of units (docs/performance.md#inventory-board): the counts are the type's 500,
    // the grid its first 200, and the pager walks to the last
    await expect(page.locator(`#units-${TYPE}`)).toContainText("500 units · 200 on this page");
    await expect(page.getByText(`U${stamp}-001`, { exact: true })).toBeVisible();
    const pager = page.getByRole("navigation", { name: "Pages of units (bottom)" });
    await expect(pager).toContainText("Units 1–200 of 500");
    await pager.getByRole("button", { name: "Next page →" }).click();
    await expect(pager).toContainText("Units 201–400 of 500");
    // from the keyboard
    await pager.getByRole("button", { name: "Next page →" }).focus();
    await page.keyboard.press("Enter");
    await expect(pager).toContainText("Units 401–500 of 500");
    await expect(pager.getByRole("button", { name: "Next page →" })).toBeDisabled();
    await expect(page).toHaveURL(new RegExp(`after=U${stamp}-400`));
    // back again, and the page is a link: reloading it shows the same units
    await pager.getByRole("button", { name: "← Previous page" }).click();
    await expect(pager).toContainText("Units 201–400 of 500");
    await page.reload();
    await expect(page.getByRole("navigation", { name: "Pages of units (bottom)" })).toContainText("Units 201–400 of 500");
    await pager.getByRole("button", { name: "Next page →" }).click();
    await expect(pager).toContainText("Units 401–500 of 500");
    await expect(page.getByText(`U${stamp}-500`, { exact: true })).toBeVisible();
    await expect(page.getByText(`U${stamp}-001`, { exact: true })).toHaveCount(0);
    await expect(page.getByText(`BAD${stamp}-1`, { exact: true })).toHaveCount(0);
    await snap(page, "imports-board");

    // the facility's recent imports
    await page.goto(`/catalogue?facility=${FACILITY}`);
    const recent = page.getByRole("table", { name: `Recent imports at ${FACILITY}` });
    // a loaded machine answered this read in more than 10 s once
    await expect(recent.getByRole("row")).toHaveCount(2, { timeout: 30_000 });
    await expect(recent).toContainText(`units-${stamp}.csv`);
    await expect(recent).toContainText("Completed");
    await expect(recent).toContainText("500 to add · 2 errors");
    await snap(page, "imports-recent");

    // the catalogue pages the facility's units like the board (docs/performance.md#catalogue): filters and page in the URL
    const units = page.getByRole("table", { name: `Units at ${FACILITY}` });
    const unitsPager = page.getByRole("navigation", { name: "Pages of units (bottom)" });
    await expect(unitsPager).toContainText("Units 1–200 of 500");
    await expect(units.getByRole("row")).toHaveCount(201);
    await unitsPager.getByRole("button", { name: "Next page →" }).focus();
    await page.keyboard.press("Enter");
    await expect(unitsPager).toContainText("Units 201–400 of 500");
    await expect(page).toHaveURL(new RegExp(`facility=${FACILITY}.*after=U${stamp}-200`));
    await page.reload();
    await expect(units.getByRole("row").nth(1)).toContainText(`U${stamp}-201`);
    const filters = page.getByRole("search", { name: "Filter units" });
    await filters.getByLabel("Unit code").fill(`U${stamp}-49`);
    await filters.getByLabel("Unit code").press("Enter");
    await expect(page).toHaveURL(new RegExp(`code=U${stamp}-49`));
    await expect(page).not.toHaveURL(/after=/);
    await expect(units.getByRole("row")).toHaveCount(11);
    await expect(page.getByRole("heading", { name: /^Units/ })).toContainText("10 of 500");
    await snap(page, "imports-catalogue-units");
    await filters.getByRole("button", { name: /^Retired/ }).click();
    await expect(page).toHaveURL(/status=RETIRED/);
    await expect(page.getByText("No units match these filters")).toBeVisible();
  });

  test("a support user cannot see the import screens", async ({ page }) => {
    await signIn(page, USERS.support);
    for (const path of [importUrl || "/catalogue/imports/imp_00000000000000000000000000", "/catalogue/imports/new"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(/don.t have access/i);
    }
    await page.goto("/catalogue");
    await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "Import units…" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Imports" })).toHaveCount(0);
    await snap(page, "imports-support-catalogue");
  });
});
