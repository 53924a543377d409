import { adminRouter } from "./routers/admin";
import { apiLogsRouter } from "./routers/api-logs";
import { auditRouter } from "./routers/audit";
import { bookingsRouter } from "./routers/bookings";
import { catalogueRouter } from "./routers/catalogue";
import { driftRouter } from "./routers/drift";
import { incidentsRouter } from "./routers/incidents";
import { operationalWebhooksRouter } from "./routers/operational-webhooks";
import { inventoryRouter } from "./routers/inventory";
import { kpisRouter } from "./routers/kpis";
import { webhooksRouter } from "./routers/webhooks";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  inventory: inventoryRouter,
  bookings: bookingsRouter,
  webhooks: webhooksRouter,
  audit: auditRouter,
  drift: driftRouter,
  kpis: kpisRouter,
  admin: adminRouter,
  incidents: incidentsRouter,
  operationalWebhooks: operationalWebhooksRouter,
  apiLogs: apiLogsRouter,
  catalogue: catalogueRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
