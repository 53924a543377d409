import { adminRouter } from "./routers/admin";
import { inventoryRouter } from "./routers/inventory";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  inventory: inventoryRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
