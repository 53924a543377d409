import { listCatalogue } from "../../domain/catalogue/list-catalogue";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * The catalogue screen's read (docs/domain.md#catalogue): facilities, unit types, rates
 * and units; a site manager sees their own facilities only. Changes are server actions
 * (server/actions/catalogue.ts).
 */
export const catalogueRouter = createTRPCRouter({
  list: permissionProcedure("inventory.read").query(({ ctx }) => listCatalogue(ctx.actor)),
});
