import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { notFound } from "@/server/domain/shared/errors";
import { inScope } from "@/server/domain/shared/facility-scope";
import type { Tx } from "@/server/domain/shared/tx";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";
import type { Prisma } from "../../../generated/prisma/client";

export const ImportId = z.string().trim().regex(ID_PATTERN.imp, NOT_AN_ID.imp);

/**
 * Which imports an actor may see (docs/domain.md#catalogue-imports): a console user those of
 * the facilities in their scope, a partner only its own (within its key's facility limits).
 */
export function importsOf(actor: Actor): Prisma.CatalogueImportWhereInput {
  return { ...inScope(actor), ...(actor.type === "PARTNER" ? { partnerId: actor.id } : {}) };
}

/** An import the actor may see, locked for update; NOT_FOUND otherwise. */
export async function lockImport(tx: Tx, actor: Actor, id: string) {
  const found = await tx.catalogueImport.findFirst({ where: { id, ...importsOf(actor) }, select: { id: true, status: true, facilityId: true, dryRun: true } });
  if (!found) throw notFound("Import", id);
  await tx.$executeRaw`SELECT 1 FROM catalogue_imports WHERE id = ${id} FOR UPDATE`;
  const current = await tx.catalogueImport.findUniqueOrThrow({ where: { id }, select: { id: true, status: true, facilityId: true, dryRun: true, processed: true, totalRows: true } });
  return current;
}
