import { createTRPCRouter } from "../trpc";

export const webhooksRouter = createTRPCRouter({});
