import { createTRPCRouter } from "../trpc";

export const driftRouter = createTRPCRouter({});
