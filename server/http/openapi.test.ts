import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

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
