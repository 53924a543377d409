import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES, findApiRoute } from "./api-routes";
import { guardRequest } from "./request-guard";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
/** the catch-all behind the guard (app/api/[...path]) answers 404 for every method */
const CATCH_ALL = "/api/[...path]";

function routeFiles(dir: string): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) out.push(...routeFiles(full));
    else if (name === "route.ts") {
      const source = fs.readFileSync(full, "utf8");
      const methods = METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b|as ${m}\\b`).test(source));
      out.push({ path: `/${path.relative("app", dir).split(path.sep).join("/")}`, methods });
    }
  }
  return out;
}

describe("the API route table", () => {
  it("lists every route handler under app/api with the methods it exports", () => {
    const files = routeFiles(path.resolve("app/api")).filter((r) => r.path !== CATCH_ALL);
    const sort = (routes: readonly { path: string; methods: readonly string[] }[]) =>
      [...routes].map((r) => ({ path: r.path, methods: [...r.methods].sort() })).sort((a, b) => a.path.localeCompare(b.path));
    expect(sort(API_ROUTES)).toEqual(sort(files));
  });

  it("prefers static segments over dynamic ones", () => {
    expect(findApiRoute("/api/v1/webhook-endpoints")?.path).toBe("/api/v1/webhook-endpoints");
    expect(findApiRoute("/api/v1/webhook-endpoints/ep_1/rotate-secret")?.path).toBe("/api/v1/webhook-endpoints/[id]/rotate-secret");
    expect(findApiRoute("/api/auth/callback/credentials")?.path).toBe("/api/auth/[...nextauth]");
    expect(findApiRoute("/api/v1/bookings/BK-1/teleport")).toBeNull();
    expect(findApiRoute("/api/auth")).toBeNull();
  });
});

describe("guardRequest", () => {
  it("lets ordinary requests through", () => {
    expect(guardRequest("GET", "/api/v1/bookings/BK-1", "")).toBeNull();
    expect(guardRequest("OPTIONS", "/api/v1/bookings", "")).toBeNull();
    expect(guardRequest("HEAD", "/api/v1/facilities", "")).toBeNull();
    expect(guardRequest("GET", "/bookings/BK-1%20", "?q=caf%C3%A9")).toBeNull();
  });
  it.each([
    ["TRACE", "/anything", "", "METHOD_NOT_ALLOWED"],
    ["GET", "/bookings/%ZZ", "", "MALFORMED_REQUEST"],
    ["GET", "/bookings/%C0%AF", "", "MALFORMED_REQUEST"],
    ["GET", "/webhooks/deliveries/%00", "", "MALFORMED_REQUEST"],
    ["GET", "/bookings", "?q=%00", "MALFORMED_REQUEST"],
    ["GET", "/api/v2/bookings", "", "NOT_FOUND"],
    ["PUT", "/api/v1/webhook-endpoints/ep_1", "", "METHOD_NOT_ALLOWED"],
  ])("%s %s%s → %s", (method, pathname, search, code) => {
    expect(guardRequest(method, pathname, search)?.code).toBe(code);
  });
  it("says which methods a path takes", () => {
    expect(guardRequest("PUT", "/api/v1/webhook-endpoints/ep_1", "")?.allow).toEqual(["GET", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
  });
});
