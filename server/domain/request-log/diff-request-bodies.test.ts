import { describe, expect, it } from "vitest";
import { diffRequests } from "./diff-request-bodies";

const req = (body: unknown, method = "POST", path = "/api/v1/bookings") => ({ method, path, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("diffRequests", () => {
  it("names the changed field by its dotted path, with both values", () => {
    const first = req({ facility_code: "LON-01", customer: { name: "Ada", email: "ada@example.com" }, sizes: ["S"] });
    const refused = req({ facility_code: "LON-01", customer: { name: "Ada", email: "ada@example.org" }, sizes: ["S"] });
    expect(diffRequests(first, refused)).toEqual([{ field: "customer.email", first: '"ada@example.com"', refused: '"ada@example.org"' }]);
  });

  it("names added and removed fields, array items, the method and the path", () => {
    const first = req({ a: 1, list: [1, 2] }, "POST", "/api/v1/bookings/BK-1/confirm");
    const refused = req({ b: 2, list: [1] }, "PATCH", "/api/v1/bookings/BK-2/confirm");
    expect(diffRequests(first, refused)).toEqual([
      { field: "(method)", first: "POST", refused: "PATCH" },
      { field: "(path)", first: "/api/v1/bookings/BK-1/confirm", refused: "/api/v1/bookings/BK-2/confirm" },
      { field: "a", first: "1", refused: null },
      { field: "b", first: null, refused: "2" },
      { field: "list.1", first: "2", refused: null },
    ]);
  });

  it("compares a body that is not JSON whole, and finds nothing between equal requests", () => {
    expect(diffRequests(req("not json"), req("not json either"))).toEqual([{ field: "(body)", first: '"not json"', refused: '"not json either"' }]);
    expect(diffRequests(req({ a: { b: [1] } }), req({ a: { b: [1] } }))).toEqual([]);
  });
});
