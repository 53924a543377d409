import { createTRPCRouter } from "../trpc";

export const bookingsRouter = createTRPCRouter({});
