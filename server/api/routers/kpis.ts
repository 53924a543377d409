import { createTRPCRouter } from "../trpc";

export const kpisRouter = createTRPCRouter({});
