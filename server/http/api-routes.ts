/**
 * Every route handler under app/api and the methods it exports, for the request guard
 * (proxy.ts): an unknown /api path is a problem+json 404 and a method a route does not
 * take a 405 with `Allow`, not Next's HTML 404 or bare 405 (issue #10). A unit test
 * (api-routes.test.ts) keeps this table equal to the route files.
 * Segments in [brackets] match one segment; [...name] the rest of the path.
 */
export const API_ROUTES: readonly { path: string; methods: readonly string[] }[] = [
  { path: "/api/auth/[...nextauth]", methods: ["GET", "POST"] },
  { path: "/api/demo-receiver/[partner_code]", methods: ["GET", "POST"] },
  { path: "/api/health", methods: ["GET"] },
  { path: "/api/health/live", methods: ["GET"] },
  { path: "/api/metrics", methods: ["GET"] },
  { path: "/api/trpc/[trpc]", methods: ["GET", "POST"] },
  { path: "/api/v1/availability", methods: ["GET"] },
  { path: "/api/v1/availability-snapshots", methods: ["POST"] },
  { path: "/api/v1/bookings", methods: ["POST"] },
  { path: "/api/v1/bookings/[reference]", methods: ["GET"] },
  { path: "/api/v1/bookings/[reference]/access", methods: ["GET"] },
  { path: "/api/v1/bookings/[reference]/cancel", methods: ["POST"] },
  { path: "/api/v1/bookings/[reference]/confirm", methods: ["POST"] },
  { path: "/api/v1/bookings/[reference]/fulfil", methods: ["POST"] },
  { path: "/api/v1/bookings/[reference]/move-out", methods: ["POST"] },
  { path: "/api/v1/events", methods: ["GET"] },
  { path: "/api/v1/facilities", methods: ["GET"] },
  { path: "/api/v1/facilities/[facility_code]", methods: ["GET"] },
  { path: "/api/v1/imports", methods: ["POST"] },
  { path: "/api/v1/imports/[import_id]", methods: ["GET"] },
  { path: "/api/v1/imports/[import_id]/apply", methods: ["POST"] },
  { path: "/api/v1/imports/[import_id]/cancel", methods: ["POST"] },
  { path: "/api/v1/openapi.json", methods: ["GET"] },
  { path: "/api/v1/request-logs", methods: ["GET"] },
  { path: "/api/v1/webhook-endpoints", methods: ["GET", "POST"] },
  { path: "/api/v1/webhook-endpoints/[id]", methods: ["GET", "PATCH", "DELETE"] },
  { path: "/api/v1/webhook-endpoints/[id]/rotate-secret", methods: ["POST"] },
  { path: "/api/webhooks/payments", methods: ["POST"] },
];

/** The methods a route answers: its own, HEAD with GET, and OPTIONS (Next.js answers both). */
export function allowedMethods(methods: readonly string[]): string[] {
  return [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
}

function matches(pattern: string, pathname: string): boolean {
  const want = pattern.split("/").filter(Boolean);
  const got = pathname.split("/").filter(Boolean);
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith("[...")) return got.length > i;
    if (got[i] === undefined) return false;
    if (!segment.startsWith("[") && segment !== got[i]) return false;
  }
  return got.length === want.length;
}

/** The route a path is served by (static routes win over dynamic ones, as in Next.js), or null. */
export function findApiRoute(pathname: string): { path: string; methods: readonly string[] } | null {
  const candidates = API_ROUTES.filter((route) => matches(route.path, pathname));
  candidates.sort((a, b) => (a.path.match(/\[/g)?.length ?? 0) - (b.path.match(/\[/g)?.length ?? 0));
  return candidates[0] ?? null;
}
