import { getKpiDashboard } from "../../domain/kpis/get-kpi-dashboard";
import { KpiDashboardInput } from "../../domain/kpis/kpi-filters";
import { listFilterOptions } from "../../domain/shared/list-filter-options";
import { createTRPCRouter, permissionProcedure } from "../trpc";

export const kpisRouter = createTRPCRouter({
  /** Facilities (the user's, for a site manager) and partners to filter the KPIs by. */
  filters: permissionProcedure("kpi.read").query(({ ctx }) => listFilterOptions(ctx.actor)),

  /** Every KPI's series for a range, facility and partner; a facility outside the user's scope is NOT_FOUND. */
  dashboard: permissionProcedure("kpi.read")
    .input(KpiDashboardInput)
    .query(({ ctx, input }) => getKpiDashboard(ctx.actor, input)),
});
