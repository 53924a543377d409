import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { newId } from "@/server/domain/shared/ids";
import { JOBS } from "@/server/domain/shared/jobs";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { findFacility } from "../find-facility";
import { IMPORT_MAX_ROWS, readImportFile } from "./import-file";
import { IMPORT_SELECT, importView, type ImportView } from "./import-view";

/** A CSV file of at most this many characters (8 MiB of ASCII: 100,000 rows and more). */
export const IMPORT_MAX_CSV_CHARS = 8 * 1024 * 1024;

export const CreateImportInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    /** the file as CSV text (a header line, then one unit per line) */
    csv: z.string().max(IMPORT_MAX_CSV_CHARS).optional(),
    /** or the units as JSON objects */
    units: z.array(z.unknown()).max(IMPORT_MAX_ROWS).optional(),
    /** true (the default): plan only, and wait in PLANNED for applyImport; false: apply as soon as planned */
    dry_run: z.boolean().default(true),
    file_name: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if ((input.csv === undefined) === (input.units === undefined)) {
      ctx.addIssue({ code: "custom", path: ["csv"], message: "Give the file as csv (text) or as units (an array), one of the two." });
    }
  });
export type CreateImportInput = z.input<typeof CreateImportInput>;

/**
 * Asks for an import of a facility's units (docs/domain.md#catalogue-imports): the file is
 * read at once — one that cannot be read at all is refused (VALIDATION_FAILED) and nothing
 * is stored — then kept with the import, PLANNING, and the worker's job is enqueued in the
 * same transaction, with the audit entry. The worker compares the rows with the
 * facility's units (the dry run's diff) and, unless `dry_run`, applies them.
 */
export async function createImport(raw: CreateImportInput, actor: Actor, options: ServiceOptions = {}): Promise<ImportView> {
  await authorize(actor, "catalogue.import");
  const input = parseOrRefuse(CreateImportInput, raw);
  const rows = readImportFile({ csv: input.csv, units: input.units });
  return inTransaction(options, async (tx) => {
    const facility = await findFacility(tx, actor, input.facility_code);
    const id = newId("imp");
    const format = input.csv !== undefined ? "csv" : "json";
    await tx.catalogueImport.create({
      data: {
        id,
        facilityId: facility.id,
        dryRun: input.dry_run,
        format,
        content: input.csv ?? JSON.stringify(input.units),
        fileName: input.file_name ?? null,
        requestedById: actor.type === "USER" ? actor.id : null,
        partnerId: actor.type === "PARTNER" ? actor.id : null,
        requestedBy: actor.label,
        correlationId: actor.correlationId,
        totalRows: rows.length,
      },
    });
    await enqueueJob(tx, JOBS.catalogueImport, { importId: id, correlationId: actor.correlationId }, { jobKey: `${JOBS.catalogueImport}:${id}`, maxAttempts: 10 });
    await writeAudit(tx, actor, {
      action: "catalogue.import",
      targetType: "import",
      targetId: id,
      facilityId: facility.id,
      metadata: { facility_code: facility.code, format, rows: rows.length, dry_run: input.dry_run, file_name: input.file_name ?? null },
      at: options.now,
    });
    return importView(await tx.catalogueImport.findUniqueOrThrow({ where: { id }, select: IMPORT_SELECT }));
  });
}
