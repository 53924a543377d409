import { expect, test } from "@playwright/test";
import { USERS, fillNewFacility, signIn, snap } from "./fixtures";

const unique = () => Date.now().toString(36).toUpperCase().slice(-5);

test.describe("catalogue", () => {
  test("an admin creates a facility and two unit types, adds units, and sees them on the inventory board", async ({ page }) => {
    test.setTimeout(120_000); // a loaded machine (2 cores shared) took 35 s of the default 60
    const code = `E2E-${unique()}`;
    await signIn(page, USERS.admin);
    await page.goto("/catalogue");
    await expect(page.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();

    // the facility
    const dialog = await fillNewFacility(page, {
      code,
      name: "E2E Self Storage",
      address: "9 Test Quay",
      city: "Bristol",
      postalCode: "BS1 4AA",
      timeZone: "Mars/Olympus",
      accessHours: "Daily 07:00–21:00",
    });
    await dialog.getByRole("button", { name: "Create facility" }).click();
    // a clear error at the field, nothing created
    await expect(dialog.getByText(/not an IANA time zone/)).toBeVisible();
    await dialog.getByLabel("Time zone", { exact: true }).fill("Europe/London");
    await dialog.getByRole("button", { name: "Create facility" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("heading", { name: new RegExp(`${code} · E2E Self Storage`) })).toBeVisible();
    await expect(page.getByText("No unit types")).toBeVisible();

    // two unit types
    for (const [typeCode, width, depth, rate] of [
      ["5X5", "5", "5", "39.50"],
      ["10X10", "10", "10", "129.00"],
    ] as const) {
      await page.getByRole("button", { name: "Add unit type" }).click();
      const typeDialog = page.getByRole("dialog", { name: `New unit type at ${code}` });
      await typeDialog.getByLabel("Code", { exact: true }).fill(typeCode);
      await typeDialog.getByLabel("Name", { exact: true }).fill(`${width} × ${depth}`);
      await typeDialog.getByLabel("Width (ft)", { exact: true }).fill(width);
      await typeDialog.getByLabel("Depth (ft)", { exact: true }).fill(depth);
      await typeDialog.getByLabel(/Monthly rate/).fill(rate);
      await typeDialog.getByLabel("Features", { exact: true }).fill("drive-up, ground floor");
      await typeDialog.getByRole("button", { name: "Create unit type" }).click();
      await expect(typeDialog).toBeHidden();
    }
    const types = page.getByRole("table", { name: `Unit types at ${code}` });
    await expect(types).toContainText("5X5");
    await expect(types).toContainText("£129.00");

    // units, from the keyboard: type a code, Enter, the next
    const addUnit = page.getByRole("form", { name: "Add a unit" });
    await addUnit.getByLabel("Unit type", { exact: true }).selectOption("5X5");
    for (const unit of ["A-1", "A-2"]) {
      await addUnit.getByLabel("Unit code", { exact: true }).fill(unit);
      await addUnit.getByLabel("Unit code", { exact: true }).press("Enter");
      await expect(addUnit.getByText(`Unit ${unit} added.`)).toBeVisible();
    }
    await addUnit.getByLabel("Unit type", { exact: true }).selectOption("10X10");
    await addUnit.getByLabel("Unit code", { exact: true }).fill("B-1");
    await addUnit.getByRole("button", { name: "Add unit" }).click();
    await expect(addUnit.getByText("Unit B-1 added.")).toBeVisible();
    // a taken code: refused at the field
    await addUnit.getByLabel("Unit code", { exact: true }).fill("A-1");
    await addUnit.getByLabel("Unit code", { exact: true }).press("Enter");
    await expect(addUnit.getByText(/Unit code A-1 is taken/)).toBeVisible();
    const units = page.getByRole("table", { name: `Units at ${code}` });
    await expect(units.getByRole("row")).toHaveCount(4);
    await snap(page, "catalogue");

    // retire one: it leaves the board
    await page.getByRole("button", { name: /Retire.*A-2/ }).click();
    const retire = page.getByRole("dialog", { name: "Retire A-2" });
    await retire.getByLabel("Reason", { exact: true }).fill("Merged with A-1");
    await retire.getByRole("button", { name: "Retire unit" }).click();
    await expect(retire).toBeHidden();
    await expect(units).toContainText("Retired");

    // the inventory board
    await page.getByRole("link", { name: "Inventory board" }).click();
    await expect(page).toHaveURL(new RegExp(`/inventory/${code}`));
    await expect(page.getByText("A-1", { exact: true }).first()).toBeVisible();
    await expect(page.getByText("B-1", { exact: true }).first()).toBeVisible();
    await expect(page.getByText("A-2", { exact: true })).toHaveCount(0);
    await snap(page, "catalogue-board");
  });
});
