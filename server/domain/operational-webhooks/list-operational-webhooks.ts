import { z } from "zod";
import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { OPERATIONAL_ENDPOINT_ID, OPERATIONAL_ENDPOINT_SELECT } from "./operational-endpoint-view";

/**
 * The admin screen's reads (admin.manage; docs/operations.md#operational-webhooks): the
 * endpoints with their delivery counts, and one endpoint's delivery log with every attempt.
 */

export async function listOperationalEndpoints(actor: Actor) {
  await authorize(actor, "admin.manage", { target: { type: "operational_webhook_endpoint", id: null } });
  const db = getDb();
  const [endpoints, counts] = await Promise.all([
    db.operationalWebhookEndpoint.findMany({ select: OPERATIONAL_ENDPOINT_SELECT, orderBy: { createdAt: "asc" } }),
    db.operationalWebhookDelivery.groupBy({ by: ["endpointId", "status"], _count: { _all: true } }),
  ]);
  return endpoints.map((e) => {
    const mine = counts.filter((c) => c.endpointId === e.id);
    const count = (status: string) => mine.find((c) => c.status === status)?._count._all ?? 0;
    return { ...e, delivered: count("SUCCEEDED"), waiting: count("PENDING") + count("RETRYING"), dead: count("DEAD") };
  });
}

export const ListOperationalDeliveriesInput = z
  .object({ endpointId: OPERATIONAL_ENDPOINT_ID, limit: z.number().int().min(1).max(200).default(50) })
  .strict();

export async function listOperationalDeliveries(raw: z.input<typeof ListOperationalDeliveriesInput>, actor: Actor) {
  const input = parseOrRefuse(ListOperationalDeliveriesInput, raw);
  await authorize(actor, "admin.manage", { target: { type: "operational_webhook_endpoint", id: input.endpointId } });
  return getDb().operationalWebhookDelivery.findMany({
    where: { endpointId: input.endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit,
    select: {
      id: true,
      eventType: true,
      incidentId: true,
      status: true,
      attemptCount: true,
      nextAttemptAt: true,
      lastAttemptAt: true,
      lastStatus: true,
      createdAt: true,
      attempts: {
        orderBy: { attemptNumber: "asc" },
        select: {
          id: true,
          attemptNumber: true,
          trigger: true,
          startedAt: true,
          durationMs: true,
          responseStatus: true,
          failureClass: true,
          errorMessage: true,
          responseBody: true,
        },
      },
    },
  });
}
