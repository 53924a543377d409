export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** GET /api/health/live — liveness: the process answers; no database, no dependencies. */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
