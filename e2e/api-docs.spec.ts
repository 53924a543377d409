import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { operationAnchor } from "../components/api-docs/openapi-model";
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
    // A long page (every operation, schema and error code) rendered per request, read
    // whole and then captured full-page: on a loaded 2-core machine that alone took most
    // of the default 60 s, so this test has a budget of its own.
    test.setTimeout(180_000);
    const doc = (await (await request.get("/api/v1/openapi.json")).json()) as OpenApi;
    const operations = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ p, method, op })));

    // no session: partners' developers read it without a console account
    const response = await page.goto("/api-docs");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveURL(/\/api-docs$/);
    await expect(page.getByRole("heading", { level: 1, name: "Holdfast partner API" })).toBeVisible();
    await expect(page.getByText("Base URL:")).toContainText(new URL(page.url()).origin);
    await shot(page, "api-docs-top");

    // Each operation by its anchor, and the table of contents read once: role queries over
    // the whole (very large) page per operation were what made this slow.
    await expect(page.getByTestId("operation")).toHaveCount(operations.length);
    const tocLinks = (await page.getByRole("navigation", { name: "On this page" }).locator("a").allInnerTexts()).map((t) =>
      t.replace(/\s+/g, "").toLowerCase(),
    );
    for (const { p, method, op } of operations) {
      const article = page.locator(`#${operationAnchor(method, p)}`);
      await expect(article.locator("h3"), `${method} ${p}`).toHaveText(op.summary);
      await expect(article.locator("header")).toContainText(p);
      await expect(article.locator("header")).toContainText(method, { ignoreCase: true });
      expect(tocLinks, `${method} ${p} in the table of contents`).toContain(`${method}${p.replace("/api/v1", "")}`.toLowerCase());
    }

    // the create-booking request body as a readable field table
    const create = page.locator("#post-bookings");
    await expect(create.getByRole("table", { name: /Request body/ })).toContainText("customer");
    await expect(create.getByRole("table", { name: /Request body/ })).toContainText("move_in_date");
    await expect(create.getByRole("table", { name: /Request body/ })).toContainText("1–32 characters");
    await expect(create).toContainText("Idempotency-Key");
    // its example works today: a move-in date a week ahead, and the reference kept for the examples below
    const weekAhead = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await expect(create.locator("pre")).toContainText(`"move_in_date": "${weekAhead}"`);
    await expect(create.locator("pre")).toContainText("export BOOKING_REFERENCE=");
    await page.goto("/api-docs#post-bookings");
    await expect(create).toBeInViewport();
    await shot(page, "api-docs-create-booking");

    // every error code has its row and anchor (read in one pass)
    const rows = page.getByTestId("error-code-row");
    await expect(rows).toHaveCount(doc["x-error-codes"].length);
    const rendered = await rows.evaluateAll((trs) => trs.map((tr) => ({ id: tr.id, text: tr.textContent ?? "" })));
    for (const { code, status } of doc["x-error-codes"]) {
      const row = rendered.find((r) => r.id === `error-${code.toLowerCase().replace(/_/g, "-")}`);
      expect(row?.text, code).toContain(code);
      expect(row?.text, code).toContain(String(status));
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
