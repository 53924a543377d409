import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "holdfast-demo";
export const USERS = {
  support: "support@demo.holdfast",
  manager: "manager@demo.holdfast",
  opslead: "opslead@demo.holdfast",
  admin: "admin@demo.holdfast",
} as const;

const SHOTS = path.resolve("test-results/screens");

/** Saves a full-page screenshot of what the user sees, for people to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the real login form. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export interface NewFacility {
  code: string;
  name: string;
  address: string;
  city: string;
  postalCode: string;
  timeZone: string;
  accessHours: string;
}

/** Opens the catalogue's "New facility" dialog and fills it in; the caller submits it. */
export async function fillNewFacility(page: Page, facility: NewFacility) {
  await page.getByRole("button", { name: "New facility" }).first().click();
  const dialog = page.getByRole("dialog", { name: "New facility" });
  await dialog.getByLabel("Code", { exact: true }).fill(facility.code);
  await dialog.getByLabel("Name", { exact: true }).fill(facility.name);
  await dialog.getByLabel("Address", { exact: true }).fill(facility.address);
  await dialog.getByLabel("City", { exact: true }).fill(facility.city);
  await dialog.getByLabel("Postal code", { exact: true }).fill(facility.postalCode);
  await dialog.getByLabel("Time zone", { exact: true }).fill(facility.timeZone);
  await dialog.getByLabel("Access hours", { exact: true }).fill(facility.accessHours);
  return dialog;
}
