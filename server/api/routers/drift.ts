import { getPartnerSync, getRunDetail, listRuns, RunDetailInput } from "../../domain/reconciliation/queries";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** The drift screens' reads (mutations are server actions: server/actions/drift.ts). */
export const driftRouter = createTRPCRouter({
  /** Recent runs with what each found per kind, the run in progress, and what is open now. */
  runs: permissionProcedure("reconciliation.read").query(({ ctx }) => listRuns(ctx.actor)),

  /** One run's discrepancies (filtered) with facets; NOT_FOUND for an unknown run. */
  run: permissionProcedure("reconciliation.read")
    .input(RunDetailInput)
    .query(({ ctx, input }) => getRunDetail(ctx.actor, input)),

  /** Per partner and pool: acknowledged version vs current, lag, gaps, latest snapshot. */
  partnerSync: permissionProcedure("reconciliation.read").query(({ ctx }) => getPartnerSync(ctx.actor)),
});
