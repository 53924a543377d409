import { AuditFilter, exportAuditEntries, listAuditEntries, ListAuditEntriesInput } from "../../domain/audit/list-audit-entries";
import { listAuditFacets } from "../../domain/audit/list-audit-facets";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * The audit log's reads (docs/domain.md#audit, docs/domain.md#roles-and-permissions:
 * everyone reads it; a site manager only their facilities' entries — the domain query
 * applies the scope).
 */
const auditProcedure = permissionProcedure("audit.read");

export const auditRouter = createTRPCRouter({
  /** One page of entries, newest first, with each target resolved to what the console links to. */
  list: auditProcedure.input(ListAuditEntriesInput).query(({ ctx, input }) => listAuditEntries(ctx.actor, input)),

  /** Every entry the filter matches (up to the export cap), for the CSV export. */
  export: auditProcedure.input(AuditFilter).query(({ ctx, input }) => exportAuditEntries(ctx.actor, input)),

  /** The actions and target types recorded, for the filter's choices. */
  facets: auditProcedure.query(({ ctx }) => listAuditFacets(ctx.actor)),
});
