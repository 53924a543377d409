import { getImport, GetImportInput, listImports, ListImportsInput } from "../../domain/catalogue/imports/get-import";
import { listCatalogue } from "../../domain/catalogue/list-catalogue";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * The catalogue screen's read (docs/domain.md#catalogue): facilities, unit types, rates
 * and units; a site manager sees their own facilities only. Changes are server actions
 * (server/actions/catalogue.ts).
 */
export const catalogueRouter = createTRPCRouter({
  list: permissionProcedure("inventory.read").query(({ ctx }) => listCatalogue(ctx.actor)),

  /** Catalogue imports (docs/domain.md#catalogue-imports): ops leads and admins follow them. */
  imports: createTRPCRouter({
    /** A facility's (or every facility's) latest imports, newest first. */
    list: permissionProcedure("catalogue.manage")
      .input(ListImportsInput)
      .query(({ ctx, input }) => listImports(input, ctx.actor)),

    /** One import with its plan, progress and a page of its rows (errors or changes); NOT_FOUND outside the actor's. */
    get: permissionProcedure("catalogue.manage")
      .input(GetImportInput)
      .query(({ ctx, input }) => getImport(input, ctx.actor)),
  }),
});
