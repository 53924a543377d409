import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import type { PartnerRouteHandler } from "./partner-route";

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return fs.statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

describe("OpenAPI document", () => {
  const doc = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
    components: { schemas: Record<string, unknown> };
  };

  it("is OpenAPI 3.1 and documents every partner route the app serves", () => {
    expect(doc.openapi).toBe("3.1.0");
    const served = routeFiles(path.resolve("app/api/v1"))
      .map((f) => "/" + path.relative(path.resolve("app"), path.dirname(f)).split(path.sep).join("/"))
      .map((p) => `/api${p.slice(4)}`.replace(/\[([^\]]+)\]/g, "{$1}"))
      .filter((p) => p !== "/api/v1/openapi.json");
    for (const route of served) expect(Object.keys(doc.paths), route).toContain(route);
  });

  it("resolves every $ref", () => {
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref.split("/").pop()!);
  });

  it("takes request schemas from the validators: unknown fields are refused", () => {
    const create = doc.components.schemas.CreateBookingRequest as { additionalProperties: boolean; required: string[] };
    expect(create.additionalProperties).toBe(false);
    expect(create.required).toEqual(
      expect.arrayContaining(["facility_code", "unit_type_code", "partner_booking_reference", "customer", "move_in_date"]),
    );
  });
});

/**
 * What each route handler can answer, read from the options it was built with
 * (server/http/partner-route.ts runs the same steps for every route): the document must
 * declare each of these statuses on that operation.
 */
describe("every operation declares the statuses its handler can produce", () => {
  const doc = buildOpenApiDocument() as {
    paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, { required?: boolean }> }> }>>;
    components: { responses: Record<string, { headers?: Record<string, { required?: boolean }> }> };
  };
  const appDir = path.resolve("app");
  const files = routeFiles(path.resolve("app/api/v1")).filter((f) => !f.includes("openapi.json"));

  it.each(files.map((f) => [path.relative(appDir, f), f]))("%s", async (_name, file) => {
    const mod = (await import(file)) as Record<string, unknown>;
    const handlers = Object.entries(mod).filter(([method]) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(method)) as [
      string,
      PartnerRouteHandler,
    ][];
    expect(handlers.length).toBeGreaterThan(0);
    for (const [method, handler] of handlers) {
      const options = handler.partnerRoute;
      expect(options, `${method} ${file} is built with partnerRoute`).toBeDefined();
      const operation = doc.paths[options.route]?.[method.toLowerCase()];
      expect(operation, `${method} ${options.route} is in the document`).toBeDefined();
      const required = new Set(["401", "403", "422", "429", "500"]); // key, scope, headers, rate limit, the unexpected
      if (options.query || options.body) required.add("422");
      if (options.body) required.add("413");
      if (options.idempotent) for (const s of ["400", "409", "422"]) required.add(s);
      if (options.route.includes("{")) required.add("404");
      const declared = Object.keys(operation!.responses);
      expect(declared.filter((s) => s.startsWith("2")), `${method} ${options.route}: one success`).toHaveLength(1);
      for (const status of required) expect(declared, `${method} ${options.route} declares ${status}`).toContain(status);
      expect(operation!.responses["429"]!.headers?.["Retry-After"]?.required).toBe(true);
      for (const [status, response] of Object.entries(operation!.responses)) {
        expect(response.headers?.["X-Correlation-Id"]?.required, `${method} ${options.route} ${status}`).toBe(true);
      }
    }
  });

  it("declares what a path that does not exist and a method a path does not have get", () => {
    expect(doc.components.responses.UnknownPath).toBeDefined();
    expect(doc.components.responses.MethodNotAllowed!.headers?.Allow?.required).toBe(true);
  });
});
