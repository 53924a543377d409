import { EndpointIdInput, getEndpointWithHealth, listEndpointsWithHealth } from "../../domain/webhooks/endpoint-health-view";
import { DeliveryIdInput, getDelivery } from "../../domain/webhooks/get-delivery";
import { countDeliveries, DeliveryFilterInput, exportDeliveries, ListDeliveriesInput, listDeliveries } from "../../domain/webhooks/list-deliveries";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * The webhooks screens' reads (DESIGN.md §3, §7). Deliveries are scoped to a site
 * manager's facilities inside the queries: another facility's delivery is NOT_FOUND.
 */
export const webhooksRouter = createTRPCRouter({
  /** Live endpoints with their health. */
  endpoints: permissionProcedure("delivery.read").query(({ ctx }) => listEndpointsWithHealth(ctx.actor)),

  /** One endpoint with its health and per-pool acknowledged versions. */
  endpoint: permissionProcedure("delivery.read")
    .input(EndpointIdInput)
    .query(({ ctx, input }) => getEndpointWithHealth(input, ctx.actor)),

  /** The delivery log, newest first, keyset-paginated (`cursor` = the previous page's nextCursor). */
  deliveries: permissionProcedure("delivery.read")
    .input(ListDeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(input, ctx.actor)),

  /** How many deliveries match a filter (capped). */
  deliveryCount: permissionProcedure("delivery.read")
    .input(DeliveryFilterInput)
    .query(({ ctx, input }) => countDeliveries(input, ctx.actor)),

  /** Every delivery matching a filter, up to the export cap, for the CSV export. */
  exportDeliveries: permissionProcedure("delivery.read")
    .input(DeliveryFilterInput)
    .query(({ ctx, input }) => exportDeliveries(input, ctx.actor)),

  /** One delivery with its event and every attempt. */
  delivery: permissionProcedure("delivery.read")
    .input(DeliveryIdInput)
    .query(({ ctx, input }) => getDelivery(input, ctx.actor)),
});
