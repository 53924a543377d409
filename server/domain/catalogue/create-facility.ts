import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendCatalogueEvent } from "./catalogue-events";
import { CatalogueCode, codeTaken } from "./catalogue-codes";
import { facilityData, FacilityFields } from "./facility-fields";

export const CreateFacilityInput = z.object({ code: CatalogueCode, ...FacilityFields }).strict();
export type CreateFacilityInput = z.input<typeof CreateFacilityInput>;

export interface CreateFacilityResult {
  id: string;
  code: string;
}

/**
 * A new facility (docs/domain.md#catalogue): its code is new — neither a facility's code
 * nor one a facility had before a rename. Event facility.created and its audit entry in
 * the same transaction. It has no unit types (and so no pools) until they are added.
 */
export async function createFacility(raw: CreateFacilityInput, actor: Actor, options: ServiceOptions = {}): Promise<CreateFacilityResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(CreateFacilityInput, raw);
  return inTransaction(options, async (tx) => {
    // Serialises creates and renames of facility codes (an old code is not in the unique index).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('catalogue:facility-codes'))`;
    const taken = await tx.facility.findFirst({
      where: { OR: [{ code: input.code }, { previousCodes: { has: input.code } }] },
      select: { code: true },
    });
    if (taken) throw codeTaken("Facility", input.code, "code", taken.code);
    const facility = await tx.facility.create({
      data: {
        code: input.code,
        name: input.name,
        timezone: input.timezone,
        addressLine1: input.address_line1,
        city: input.city,
        postalCode: input.postal_code,
        country: input.country,
        currency: input.currency,
        accessHours: input.access_hours,
        createdAt: options.now,
      },
    });
    const data = facilityData(facility);
    await appendCatalogueEvent(tx, {
      type: "facility.created",
      aggregateId: facility.id,
      facilityId: facility.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data,
    });
    await writeAudit(tx, actor, {
      action: "facility.create",
      targetType: "facility",
      targetId: facility.id,
      facilityId: facility.id,
      metadata: data,
      at: options.now,
    });
    return { id: facility.id, code: facility.code };
  });
}
