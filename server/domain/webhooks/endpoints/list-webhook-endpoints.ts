import { z } from "zod";
import { getDb } from "../../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { ENDPOINT_COLUMNS, endpointScope, toEndpointView, type EndpointRow, type WebhookEndpointView } from "./webhook-endpoint-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN } from "@/shared/ids";

const ListWebhookEndpointsInput = z
  .object({
    /** staff only: one partner's endpoints */
    partnerId: z.uuid().optional(),
    status: z.enum(["ACTIVE", "DISABLED"]).optional(),
    /** resume after this endpoint id (ids sort by creation time) */
    after: z.string().regex(ID_PATTERN.ep).optional(),
    limit: z.number().int().min(1).max(100).default(100),
  })
  .strict();

/** Live endpoints the actor may see (a partner: its own), oldest first. */
export async function listWebhookEndpoints(
  raw: z.input<typeof ListWebhookEndpointsInput>,
  actor: Actor,
): Promise<{ endpoints: WebhookEndpointView[]; nextCursor: string | null }> {
  const { partnerId: own } = endpointScope(actor, "read");
  const input = parseOrRefuse(ListWebhookEndpointsInput, raw);
  const partnerId = own ?? input.partnerId ?? null;
  const rows = await getDb().$queryRaw<EndpointRow[]>`
    SELECT ${ENDPOINT_COLUMNS}
    FROM webhook_endpoints ep JOIN partners p ON p.id = ep.partner_id
    WHERE ep.deleted_at IS NULL
      AND (${partnerId}::uuid IS NULL OR ep.partner_id = ${partnerId}::uuid)
      AND (${input.status ?? null}::text IS NULL OR ep.status::text = ${input.status ?? null}::text)
      AND (${input.after ?? null}::text IS NULL OR ep.id > ${input.after ?? null}::text)
    ORDER BY ep.id
    LIMIT ${input.limit + 1}`;
  const now = new Date();
  const page = rows.slice(0, input.limit).map((r) => toEndpointView(r, now));
  return { endpoints: page, nextCursor: rows.length > input.limit ? page.at(-1)!.id : null };
}
