import { listOperationalDeliveries, listOperationalEndpoints, ListOperationalDeliveriesInput } from "../../domain/operational-webhooks/list-operational-webhooks";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** The admin screen of operational webhooks (docs/operations.md#operational-webhooks); mutations are server actions. */
export const operationalWebhooksRouter = createTRPCRouter({
  endpoints: permissionProcedure("admin.manage").query(({ ctx }) => listOperationalEndpoints(ctx.actor)),

  deliveries: permissionProcedure("admin.manage")
    .input(ListOperationalDeliveriesInput)
    .query(({ ctx, input }) => listOperationalDeliveries(input, ctx.actor)),
});
