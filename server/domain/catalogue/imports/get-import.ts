import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { notFound } from "@/server/domain/shared/errors";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { getDb } from "../../../db";
import { ImportId, importsOf } from "./find-import";
import type { ImportRowError } from "./import-file";
import { IMPORT_SELECT, importView, type ImportRowView, type ImportView } from "./import-view";

export const GetImportInput = z
  .object({
    import_id: ImportId,
    /** which rows to list with it: the errors (planned or failed, the default), the changes (add, change, retire), or none */
    rows: z.enum(["errors", "changes", "none"]).default("errors"),
    /** rows after this line (paging) */
    after_line: z.number().int().min(0).max(10_000_000).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type GetImportInput = z.input<typeof GetImportInput>;

export interface ImportDetail extends ImportView {
  rows: ImportRowView[];
  /** the next page's after_line; null on the last page */
  nextAfterLine: number | null;
}

/**
 * One import with its state, its plan and progress, and a page of its rows in line order
 * (docs/domain.md#catalogue-imports): the errors (rows planned as ERROR or FAILED when
 * applied) or the changes. NOT_FOUND outside the actor's imports.
 */
export async function getImport(raw: GetImportInput, actor: Actor): Promise<ImportDetail> {
  await authorize(actor, "catalogue.import");
  const input = parseOrRefuse(GetImportInput, raw);
  const db = getDb();
  const record = await db.catalogueImport.findFirst({ where: { id: input.import_id, ...importsOf(actor) }, select: IMPORT_SELECT });
  if (!record) throw notFound("Import", input.import_id);
  if (input.rows === "none") return { ...importView(record), rows: [], nextAfterLine: null };
  const rows = await db.catalogueImportRow.findMany({
    where: {
      importId: record.id,
      line: { gt: input.after_line },
      ...(input.rows === "errors" ? { OR: [{ action: "ERROR" }, { status: "FAILED" }] } : { action: { in: ["ADD", "CHANGE", "RETIRE"] } }),
    },
    orderBy: { line: "asc" },
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    ...importView(record),
    rows: page.map((row) => ({
      line: row.line,
      unitCode: row.unitCode,
      unitTypeCode: row.unitTypeCode,
      floor: row.floor,
      action: row.action,
      status: row.status,
      before: (row.before as ImportRowView["before"]) ?? null,
      error: (row.error as ImportRowError | null) ?? null,
    })),
    nextAfterLine: rows.length > input.limit ? page[page.length - 1]!.line : null,
  };
}

export const ListImportsInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();
export type ListImportsInput = z.input<typeof ListImportsInput>;

/** The actor's latest imports, newest first, of one facility (by its current code) or all. */
export async function listImports(raw: ListImportsInput, actor: Actor): Promise<ImportView[]> {
  await authorize(actor, "catalogue.import");
  const input = parseOrRefuse(ListImportsInput, raw);
  const records = await getDb().catalogueImport.findMany({
    where: { ...importsOf(actor), ...(input.facility_code ? { facility: { code: input.facility_code } } : {}) },
    select: IMPORT_SELECT,
    orderBy: { createdAt: "desc" },
    take: input.limit,
  });
  return records.map(importView);
}
