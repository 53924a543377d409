import { z } from "zod";
import { pgDate } from "../../domain/shared/safe-input";
import { EndpointIdInput, getEndpointWithHealth, listEndpointsWithHealth } from "../../domain/webhooks/endpoints/endpoint-health-view";
import { DeliveryIdInput, getDelivery } from "../../domain/webhooks/delivery/get-delivery";
import { countDeliveries, DeliveryFilterInput, exportDeliveries, ListDeliveriesInput, listDeliveries } from "../../domain/webhooks/delivery/list-deliveries";
import { previewReplay } from "../../domain/webhooks/replay/preview-replay";
import { GetReplayJobInput, getReplayJob, ListReplayJobsInput, listReplayJobs } from "../../domain/webhooks/replay/replay-jobs";
import { ListTestPingsInput, listTestPings } from "../../domain/webhooks/endpoints/send-test-ping";
import { windowFilter } from "../../domain/webhooks/replay/start-bulk-replay";
import { createTRPCRouter, permissionProcedure } from "../trpc";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";

const ReplayWindowPreviewInput = z
  .object({
    endpointId: z.string().regex(ID_PATTERN.ep, NOT_AN_ID.ep),
    from: pgDate(),
    to: pgDate(),
  })
  .strict()
  .refine((w) => w.from < w.to, { message: "`from` must be before `to`", path: ["to"] });

/**
 * The webhooks screens' reads (docs/architecture.md#console-screens,
 * docs/webhooks.md#endpoint-health). Deliveries are scoped to a site
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

  /** How many deliveries a bulk replay with this filter would send (and how many it would leave out). */
  replayPreview: permissionProcedure("delivery.bulk_replay")
    .input(DeliveryFilterInput)
    .query(({ ctx, input }) => previewReplay(input.filter, ctx.actor)),

  /** The same, for "replay a window": an endpoint's failed and dead deliveries created in [from, to). */
  replayWindowPreview: permissionProcedure("delivery.bulk_replay")
    .input(ReplayWindowPreviewInput)
    .query(({ ctx, input }) => previewReplay(windowFilter(input), ctx.actor)),

  /** The latest bulk replay jobs with their progress. */
  replayJobs: permissionProcedure("delivery.read")
    .input(ListReplayJobsInput)
    .query(({ ctx, input }) => listReplayJobs(input, ctx.actor)),

  replayJob: permissionProcedure("delivery.read")
    .input(GetReplayJobInput)
    .query(({ ctx, input }) => getReplayJob(input, ctx.actor)),

  /** An endpoint's latest test pings. */
  testPings: permissionProcedure("delivery.read")
    .input(ListTestPingsInput)
    .query(({ ctx, input }) => listTestPings(input, ctx.actor)),
});
