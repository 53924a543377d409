import { revealAccessCode } from "@/server/domain/access/reveal-access-code";
import { partnerRoute } from "@/server/http/partner-route";
import { accessCodeResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

// The response's access_code is a secret field: the request log keeps it redacted
// (server/domain/request-log/redact-body.ts), and nothing else logs response bodies.
export const GET = partnerRoute(
  { route: "/api/v1/bookings/{reference}/access", scope: "access:read", rateClass: "read" },
  async ({ actor, params }) => ({ status: 200, body: accessCodeResource(await revealAccessCode(params.reference!, actor)) }),
);
