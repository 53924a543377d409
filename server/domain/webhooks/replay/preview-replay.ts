import { getDb } from "../../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { DELIVERY_FROM, DeliveryFilter, deliveryWhere } from "../delivery/delivery-filter";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export interface ReplayPreview {
  /** deliveries a bulk replay with this filter would send now */
  count: number;
  /** deliveries matching the filter that it would leave out: their endpoint is disabled */
  disabledEndpoint: number;
}

/**
 * How many deliveries a bulk replay with this filter would send (permission
 * delivery.bulk_replay): the delivery log's filter (delivery-filter.ts), limited to what
 * the actor may see and to live endpoints; deliveries of disabled endpoints are counted
 * apart, since a replay leaves them out. startBulkReplay takes this count as
 * `expectedCount` and refuses if the set changed in between.
 */
export async function previewReplay(rawFilter: unknown, actor: Actor): Promise<ReplayPreview> {
  const filter = parseOrRefuse(DeliveryFilter, rawFilter ?? {});
  await authorize(actor, "delivery.bulk_replay");
  const [row] = await getDb().$queryRaw<{ count: number; disabled: number }[]>`
    SELECT count(*) FILTER (WHERE ep.status = 'ACTIVE')::int AS count,
           count(*) FILTER (WHERE ep.status <> 'ACTIVE')::int AS disabled
    FROM ${DELIVERY_FROM}
    WHERE ${deliveryWhere(filter, actor)} AND ep.deleted_at IS NULL`;
  return { count: row?.count ?? 0, disabledEndpoint: row?.disabled ?? 0 };
}
