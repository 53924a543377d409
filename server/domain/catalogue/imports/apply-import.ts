import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { DomainError } from "@/server/domain/shared/errors";
import { JOBS } from "@/server/domain/shared/jobs";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ImportId, lockImport } from "./find-import";
import { IMPORT_SELECT, importView, type ImportView } from "./import-view";

export const ApplyImportInput = z.object({ import_id: ImportId }).strict();
export type ApplyImportInput = z.input<typeof ApplyImportInput>;

/**
 * Applies a planned import (docs/domain.md#catalogue-imports): PLANNED → APPLYING, the
 * worker's job enqueued and the audit entry, in one transaction. Applying one already
 * applying or applied is a no-op answer with its state; one still planning, cancelled or
 * failed is refused (CONFLICT, current_status).
 */
export async function applyImport(raw: ApplyImportInput, actor: Actor, options: ServiceOptions = {}): Promise<ImportView & { changed: boolean }> {
  await authorize(actor, "catalogue.import");
  const input = parseOrRefuse(ApplyImportInput, raw);
  return inTransaction(options, async (tx) => {
    const current = await lockImport(tx, actor, input.import_id);
    if (current.status === "APPLYING" || current.status === "COMPLETED") {
      return { ...importView(await tx.catalogueImport.findUniqueOrThrow({ where: { id: current.id }, select: IMPORT_SELECT })), changed: false };
    }
    if (current.status !== "PLANNED") {
      const why = current.status === "PLANNING" ? "is still being planned; apply it once its diff is ready" : `has ended (${current.status.toLowerCase()})`;
      throw new DomainError("CONFLICT", `Import ${current.id} ${why}.`, { current_status: current.status.toLowerCase() });
    }
    await tx.catalogueImport.update({ where: { id: current.id }, data: { status: "APPLYING" } });
    await enqueueJob(tx, JOBS.catalogueImport, { importId: current.id, correlationId: actor.correlationId }, { jobKey: `${JOBS.catalogueImport}:${current.id}`, maxAttempts: 10 });
    await writeAudit(tx, actor, { action: "catalogue.import.apply", targetType: "import", targetId: current.id, facilityId: current.facilityId, at: options.now });
    return { ...importView(await tx.catalogueImport.findUniqueOrThrow({ where: { id: current.id }, select: IMPORT_SELECT })), changed: true };
  });
}
