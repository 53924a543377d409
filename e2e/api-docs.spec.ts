import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { USERS, signIn, snap } from "./fixtures";

const SHOTS = path.resolve("test-results/screens");

/** What is on screen, not the whole (very long) page. */
async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, { summary: string }>>;
  "x-error-codes": { code: string; status: number }[];
}

test.describe("API reference", () => {
  test("/api/v1/openapi.json is valid JSON: OpenAPI 3.1.0", async ({ request }) => {
    const response = await request.get("/api/v1/openapi.json");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/json");
    const doc = JSON.parse(await response.text()) as OpenApi;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/bookings");
  });

  test("is public, and renders every endpoint, the error codes and the event types", async ({ page, request }) => {
    const doc = (await (await request.get("/api/v1/openapi.json")).json()) as OpenApi;
    const operations = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ p, method, op })));

    // no session: partners' developers read it without a console account
    const response = await page.goto("/api-docs");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/api-docs$/);
    await expect(page.getByRole("heading", { level: 1, name: "Holdfast partner API" })).toBeVisible();
    await expect(page.getByText("Base URL:")).toContainText(new URL(page.url()).origin);
    await shot(page, "api-docs-top");

    const toc = page.getByRole("navigation", { name: "On this page" });
    await expect(page.getByTestId("operation")).toHaveCount(operations.length);
    for (const { p, method, op } of operations) {
      const article = page.getByTestId("operation").filter({ has: page.getByRole("heading", { name: op.summary, exact: true }) });
      await expect(article, `${method} ${p}`).toContainText(p);
      await expect(article).toContainText(method, { ignoreCase: true });
      await expect(toc.getByRole("link", { name: new RegExp(`${method}\\s*${p.replace("/api/v1", "").replace(/[{}]/g, "\\$&")}$`, "i") })).toBeVisible();
    }

    // the create-booking request body as a readable field table
    const create = page.locator("#post-bookings");
    await expect(create.getByRole("table", { name: /Request body/ })).toContainText("customer");
    await expect(create.getByRole("table", { name: /Request body/ })).toContainText("move_in_date");
    await expect(create.getByRole("table", { name: /Request body/ })).toContainText("1–32 characters");
    await expect(create).toContainText("Idempotency-Key");
    await page.goto("/api-docs#post-bookings");
    await expect(create).toBeInViewport();
    await shot(page, "api-docs-create-booking");

    // every error code has its row and anchor
    const rows = page.getByTestId("error-code-row");
    await expect(rows).toHaveCount(doc["x-error-codes"].length);
    for (const { code, status } of doc["x-error-codes"]) {
      const row = page.locator(`#error-${code.toLowerCase().replace(/_/g, "-")}`);
      await expect(row).toContainText(code);
      await expect(row).toContainText(String(status));
    }
    await page.goto("/api-docs#errors");
    await expect(page.locator("#errors")).toBeInViewport();
    await shot(page, "api-docs-error-table");

    await expect(page.locator("#events")).toContainText("booking.held");
    await expect(page.locator("#events")).toContainText("inventory.updated");
    await expect(page.getByRole("link", { name: "OpenAPI JSON" })).toHaveAttribute("href", "/api/v1/openapi.json");
    await snap(page, "api-docs-full");
  });

  test("a problem's `type` URI leads to its row in the error table", async ({ page, request }) => {
    const refused = await request.get("/api/v1/facilities");
    expect(refused.status()).toBe(401);
    const problem = (await refused.json()) as { type: string; code: string };
    expect(problem.type).toBe("/api-docs#error-unauthenticated");

    await page.goto(problem.type);
    const row = page.locator("#error-unauthenticated");
    await expect(row).toBeInViewport();
    await expect(row).toContainText("UNAUTHENTICATED");
    await shot(page, "api-docs-error-anchor");
  });

  test("the console's navigation leads there", async ({ page }) => {
    await signIn(page, USERS.support);
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "API docs" }).click();
    await expect(page).toHaveURL(/\/api-docs$/);
    await expect(page.getByRole("heading", { level: 1, name: "Holdfast partner API" })).toBeVisible();
    await page.getByRole("navigation", { name: "Site" }).getByRole("link", { name: "Console" }).click();
    await expect(page).toHaveURL(/\/inventory$/);
  });
});
