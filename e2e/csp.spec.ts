import { expect, test, type Page } from "@playwright/test";
import { signIn, snap, USERS } from "./fixtures";

/**
 * Every console screen under the enforced Content-Security-Policy (docs/operations.md#security-headers):
 * a violation report, or a console error about the policy, fails the test. The policy must
 * be the strict one (a nonce, no 'unsafe-eval' in the production build), and the pages must
 * still work: Next.js's inline scripts carry the nonce.
 */

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

async function watchViolations(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__cspViolations!.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on("console", (message) => {
    if (message.type() === "error" && /content security policy|refused to (execute|load|apply|connect)/i.test(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  return problems;
}

async function visit(page: Page, problems: string[], path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  const csp = response!.headers()["content-security-policy"] ?? "";
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp, path).not.toContain("unsafe-eval");
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp, path).toContain(directive);
  expect(response!.headers()["permissions-policy"], path).toContain("camera=()");
  await page.waitForLoadState("networkidle");
  const violations = await page.evaluate(() => window.__cspViolations ?? []);
  expect({ path, violations, console: problems.splice(0) }).toEqual({ path, violations: [], console: [] });
}

/** The href of the first link matching `pattern` on the current page. */
async function firstLink(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link matching ${pattern}`).toBeTruthy();
  return href!;
}

test("every console screen loads under the enforced CSP without a violation", async ({ page }) => {
  test.setTimeout(240_000);
  const problems = await watchViolations(page);
  await visit(page, problems, "/login");
  await signIn(page, USERS.admin);

  for (const path of ["/bookings", "/inventory", "/inventory/LON-01", "/webhooks", "/drift", "/kpis", "/audit", "/admin", "/api-docs"]) {
    await visit(page, problems, path);
  }
  await visit(page, problems, "/bookings");
  await visit(page, problems, await firstLink(page, /^\/bookings\/[A-Z0-9-]+$/));
  await visit(page, problems, "/webhooks");
  await visit(page, problems, await firstLink(page, /^\/webhooks\/endpoints\/ep_/));
  await visit(page, problems, await firstLink(page, /^\/webhooks\/deliveries\//));
  await visit(page, problems, "/drift");
  await visit(page, problems, await firstLink(page, /^\/drift\/[^?]+$/));

  // the scripts ran: a client-side control answers (the command palette / navigation)
  await visit(page, problems, "/bookings");
  await page.getByRole("link", { name: /inventory/i }).first().click();
  await expect(page).toHaveURL(/\/inventory/);
  await snap(page, "csp-inventory");
});

test("API answers are no-store and carry the policy; the OpenAPI document is cached for minutes", async ({ request }) => {
  const health = await request.get("/api/health/live");
  expect(health.headers()["cache-control"]).toBe("no-store");
  expect(health.headers()["content-security-policy"]).toContain("default-src 'self'");
  const unknown = await request.get("/api/v1/nothing-here");
  expect(unknown.status()).toBe(404);
  expect(unknown.headers()["cache-control"]).toBe("no-store");
  const openapi = await request.get("/api/v1/openapi.json");
  expect(openapi.headers()["cache-control"]).toBe("public, max-age=300");
  // plain http on localhost: no HSTS (it would pin the demo to https for a year)
  expect(health.headers()["strict-transport-security"]).toBeUndefined();
});
