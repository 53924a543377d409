import { describe, expect, it } from "vitest";
import { PARTNER_SCOPES } from "@/shared/permissions";
import { DomainError, ERROR_CODES, type ErrorCode } from "@/server/domain/shared/errors";
import { AvailabilitySnapshotBody, CancelBookingBody, CreateBookingBody, CreateImportBody } from "@/server/http/api-schemas";
import { buildOpenApiDocument } from "@/server/http/openapi";
import { problemBody } from "@/server/http/problem";
import { curlExample, exampleFor, exampleMoveInDate } from "./curl-example";
import {
  constraintsOf,
  errorAnchor,
  fieldRows,
  listOperations,
  operationAnchor,
  scopeOf,
  typeLabel,
  type OpenApiDocument,
} from "./openapi-model";
import { ERROR_GUIDANCE, EVENT_DESCRIPTIONS, SCOPES } from "./reference-content";

const doc = buildOpenApiDocument() as unknown as OpenApiDocument;
const operations = listOperations(doc).flatMap((g) => g.operations);
const op = (method: string, path: string) => operations.find((o) => o.method === method && o.path === path)!;

describe("the API reference's reading of the OpenAPI document", () => {
  it("has an anchor for every error code, exactly where problem+json `type` points", () => {
    const codes = doc["x-error-codes"]!.map((e) => e.code);
    expect(codes.sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const code of codes) {
      const type = problemBody(new DomainError(code as ErrorCode, "x"), "cor_x").type;
      expect(type).toBe(`/api-docs#${errorAnchor(code)}`);
    }
    expect(errorAnchor("VALIDATION_FAILED")).toBe("error-validation-failed");
    expect(errorAnchor("INVENTORY_HELD_BY_OTHER_TXN")).toBe("error-inventory-held-by-other-txn");
  });

  it("lists every operation once, grouped by tag, with unique readable anchors", () => {
    const groups = listOperations(doc);
    // the document's tag order, for the tags that have operations
    expect(groups.map((g) => g.tag)).toEqual((doc.tags ?? []).map((t) => t.name).filter((name) => groups.some((g) => g.tag === name)));
    expect(groups.map((g) => g.tag)).toEqual(expect.arrayContaining(["Inventory", "Bookings", "Events"]));
    const pathCount = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(operations).toHaveLength(pathCount);
    expect(new Set(operations.map((o) => o.anchor)).size).toBe(operations.length);
    expect(operationAnchor("post", "/api/v1/bookings/{reference}/confirm")).toBe("post-bookings-reference-confirm");
    expect(op("get", "/api/v1/facilities").anchor).toBe("get-facilities");
    expect(op("get", "/api/v1/events").anchor).toBe("get-events");
  });

  it("reads scopes from the descriptions, and documents exactly the scopes keys can have", () => {
    expect(scopeOf(op("post", "/api/v1/bookings"))).toBe("bookings:write");
    for (const o of operations) expect(PARTNER_SCOPES, `${o.method} ${o.path}`).toContain(scopeOf(o));
    expect(SCOPES.map((s) => s.scope)).toEqual([...PARTNER_SCOPES]);
  });

  it("has prose for every error code and every event type the document names", () => {
    for (const { code } of doc["x-error-codes"]!) expect(ERROR_GUIDANCE[code], code).toBeTruthy();
    const types = (doc.components!.schemas!.Event!.properties!.type!.enum ?? []) as string[];
    expect(types.length).toBeGreaterThan(10);
    for (const type of types) expect(EVENT_DESCRIPTIONS[type], type).toBeTruthy();
  });

  it("turns a request schema into field rows with nested paths, types, constraints and required marks", () => {
    const rows = fieldRows(doc, op("post", "/api/v1/bookings").requestBody!.schema);
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(Object.keys(byPath)).toEqual(
      expect.arrayContaining(["facility_code", "customer", "customer.name", "customer.email", "customer.phone", "move_in_date", "hold_ttl_seconds"]),
    );
    expect(byPath.facility_code).toMatchObject({ type: "string", required: true, constraints: ["1–32 characters"], depth: 0 });
    expect(byPath["customer.email"]).toMatchObject({ type: "string (email)", required: true, depth: 1 });
    // a format's generated pattern is noise; the format says it
    expect(byPath["customer.email"]!.constraints.join(" ")).not.toContain("pattern");
    expect(byPath["customer.phone"]).toMatchObject({ required: false });
    expect(byPath.hold_ttl_seconds).toMatchObject({ type: "integer", required: false, constraints: ["60–3,600"] });
  });

  it("links referenced schemas instead of expanding them, and hides safe-integer bounds", () => {
    const rows = fieldRows(doc, { $ref: "#/components/schemas/PoolList" });
    expect(rows.find((r) => r.path === "data")).toMatchObject({ type: "array of Pool", ref: "Pool" });
    expect(rows.find((r) => r.path === "next_cursor")).toMatchObject({ type: "string | null" });
    expect(constraintsOf({ type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 })).toEqual([]);
    expect(typeLabel({ type: "array", items: { type: "string", enum: ["a"] } })).toBe("array of string");
    const facility = fieldRows(doc, { $ref: "#/components/schemas/Facility" });
    expect(facility.find((r) => r.path === "unit_types[].monthly_rate_cents")).toMatchObject({ depth: 1, type: "integer" });
  });

  it("makes example bodies the server's own validators accept", () => {
    const body = (method: string, path: string) => exampleFor(doc, op(method, path).requestBody!.schema);
    expect(CreateBookingBody.safeParse(body("post", "/api/v1/bookings")).error).toBeUndefined();
    expect(CancelBookingBody.safeParse(body("post", "/api/v1/bookings/{reference}/cancel")).error).toBeUndefined();
    expect(AvailabilitySnapshotBody.safeParse(body("post", "/api/v1/availability-snapshots")).error).toBeUndefined();
    expect(CreateImportBody.safeParse(body("post", "/api/v1/imports")).error).toBeUndefined();
  });

  it("waits for an import's plan before applying it, and cancels a dry run of its own", () => {
    const context = { today: "2027-02-25", newIdempotencyKey: () => "k" };
    const create = curlExample(doc, op("post", "/api/v1/imports"), context);
    expect(create).toContain(`"csv": "code,unit_type_code,floor\\nC-101,10X10-CC,1\\nC-102,10X10-CC,1\\n"`);
    expect(create.split("\n").at(-1)).toBe(`export IMPORT_ID=$(echo "$RESPONSE" | sed -n 's/.*"id":"\\([^"]*\\)".*/\\1/p')`);
    const apply = curlExample(doc, op("post", "/api/v1/imports/{import_id}/apply"), context);
    expect(apply).toMatch(/^# The worker plans the file/);
    expect(apply).toContain(`grep -q '"status":"planned"'; do sleep 1; done\ncurl -X POST "$HOLDFAST_URL/api/v1/imports/$IMPORT_ID/apply"`);
    const cancel = curlExample(doc, op("post", "/api/v1/imports/{import_id}/cancel"), context);
    expect(cancel.indexOf(`RESPONSE=$(curl -s -X POST "$HOLDFAST_URL/api/v1/imports"`)).toBeLessThan(cancel.indexOf(`/api/v1/imports/$IMPORT_ID/cancel`));
    expect(cancel).toContain("export IMPORT_ID=");
  });

  it("writes curl examples with the key, an Idempotency-Key on POSTs, and the body", () => {
    const context = { today: "2027-02-25", newIdempotencyKey: () => "key-1" };
    const get = curlExample(doc, op("get", "/api/v1/facilities"), context);
    expect(get).toBe(`curl "$HOLDFAST_URL/api/v1/facilities" \\\n  -H "Authorization: Bearer $HOLDFAST_KEY"`);
    const post = curlExample(doc, op("post", "/api/v1/bookings/{reference}/cancel"), context);
    expect(post).toContain(`curl -X POST "$HOLDFAST_URL/api/v1/bookings/$BOOKING_REFERENCE/cancel"`);
    expect(post).toContain(`-H "Idempotency-Key: key-1"`);
    expect(post).toContain(`"reason": "Customer changed their plans"`);
  });

  it("dates examples from the day the page is read, and keeps what a POST creates for the examples after it", () => {
    expect(exampleMoveInDate("2027-02-25")).toBe("2027-03-04");
    expect(exampleMoveInDate("2026-12-28")).toBe("2027-01-04");
    let n = 0;
    const hold = curlExample(doc, op("post", "/api/v1/bookings"), { today: "2027-02-25", newIdempotencyKey: () => `key-${++n}` });
    expect(hold).toContain(`"move_in_date": "2027-03-04"`);
    expect(hold).toContain(`-H "Idempotency-Key: key-1"`);
    expect(hold.split("\n").at(-1)).toBe(`export BOOKING_REFERENCE=$(echo "$RESPONSE" | sed -n 's/.*"reference":"\\([^"]*\\)".*/\\1/p')`);
    const rotate = curlExample(doc, op("post", "/api/v1/webhook-endpoints/{id}/rotate-secret"), { today: "2027-02-25", newIdempotencyKey: () => "k" });
    expect(rotate).toContain(`"$HOLDFAST_URL/api/v1/webhook-endpoints/$ENDPOINT_ID/rotate-secret"`);
  });
});
