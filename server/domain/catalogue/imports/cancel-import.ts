import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ImportId, lockImport } from "./find-import";
import { IMPORT_SELECT, importView, type ImportView } from "./import-view";

export const CancelImportInput = z.object({ import_id: ImportId }).strict();
export type CancelImportInput = z.input<typeof CancelImportInput>;

/**
 * Cancels an import (docs/domain.md#catalogue-imports) that has not ended: it becomes
 * CANCELLED and its rows not yet applied SKIPPED, with the audit entry, in one transaction.
 * Rows already applied stay applied — each was its own change, with its events — and the
 * worker, which looks between batches, applies no row after this commits (a batch commits
 * only while its import is APPLYING). Cancelling a cancelled import is a no-op; one that
 * completed or failed is refused (CONFLICT).
 */
export async function cancelImport(raw: CancelImportInput, actor: Actor, options: ServiceOptions = {}): Promise<ImportView & { changed: boolean }> {
  await authorize(actor, "catalogue.import");
  const input = parseOrRefuse(CancelImportInput, raw);
  return inTransaction(options, async (tx) => {
    const current = await lockImport(tx, actor, input.import_id);
    const view = async () => importView(await tx.catalogueImport.findUniqueOrThrow({ where: { id: current.id }, select: IMPORT_SELECT }));
    if (current.status === "CANCELLED") return { ...(await view()), changed: false };
    if (current.status === "COMPLETED" || current.status === "FAILED") {
      throw new DomainError("CONFLICT", `Import ${current.id} has already ended (${current.status.toLowerCase()}).`, { current_status: current.status.toLowerCase() });
    }
    await tx.$executeRaw`
      UPDATE catalogue_imports SET status = 'CANCELLED', cancelled_at = now(), finished_at = now(), runner_token = NULL WHERE id = ${current.id}`;
    await tx.$executeRaw`UPDATE catalogue_import_rows SET status = 'SKIPPED' WHERE import_id = ${current.id} AND status = 'PENDING'`;
    await writeAudit(tx, actor, {
      action: "catalogue.import.cancel",
      targetType: "import",
      targetId: current.id,
      facilityId: current.facilityId,
      metadata: { status_before: current.status.toLowerCase(), processed: current.processed },
      at: options.now,
    });
    return { ...(await view()), changed: true };
  });
}
