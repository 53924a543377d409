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
