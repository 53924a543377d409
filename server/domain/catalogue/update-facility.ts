import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendCatalogueEvent } from "./catalogue-events";
import { CatalogueCode, codeTaken } from "./catalogue-codes";
import { facilityData, FacilityFields } from "./facility-fields";

export const UpdateFacilityInput = z
  .object({
    /** the facility's code, or one it had before a rename */
    facility_code: z.string().trim().min(1).max(32),
    /** a new code: the old one is kept in previous_codes and still finds the facility */
    code: CatalogueCode.optional(),
    ...Object.fromEntries(Object.entries(FacilityFields).map(([key, schema]) => [key, schema.optional()])),
  })
  .strict() as z.ZodType<UpdateFacilityParsed, UpdateFacilityShape>;

type Fields = { [K in keyof typeof FacilityFields]?: z.output<(typeof FacilityFields)[K]> };
type FieldsIn = { [K in keyof typeof FacilityFields]?: z.input<(typeof FacilityFields)[K]> };
type UpdateFacilityParsed = { facility_code: string; code?: string } & Fields;
type UpdateFacilityShape = { facility_code: string; code?: string } & FieldsIn;
export type UpdateFacilityInput = UpdateFacilityShape;

export interface UpdateFacilityResult {
  changed: boolean;
  code: string;
  /** the fields that changed (snake_case) */
  changedFields: string[];
}

const COLUMN = {
  code: "code",
  name: "name",
  timezone: "timezone",
  address_line1: "addressLine1",
  city: "city",
  postal_code: "postalCode",
  country: "country",
  currency: "currency",
  access_hours: "accessHours",
} as const;

/**
 * Changes a facility's fields (docs/domain.md#catalogue). A new code keeps the old one in
 * `previous_codes`, where the lookups still find it; a code taken by another facility
 * (now or before) is refused. The currency cannot change once the facility has bookings
 * (their rates are in it). Nothing to change is a no-op (`changed: false`, no event).
 * Event facility.updated (with `previous_code` on a rename) and its audit entry in the
 * same transaction.
 */
export async function updateFacility(raw: UpdateFacilityInput, actor: Actor, options: ServiceOptions = {}): Promise<UpdateFacilityResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(UpdateFacilityInput, raw);
  return inTransaction(options, async (tx) => {
    if (input.code !== undefined) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('catalogue:facility-codes'))`;
    const found = await tx.facility.findFirst({
      where: { OR: [{ code: input.facility_code }, { previousCodes: { has: input.facility_code } }], ...facilitiesInScope(actor) },
      select: { id: true },
    });
    if (!found) throw new DomainError("NOT_FOUND", `Facility ${input.facility_code} was not found.`);
    await tx.$queryRaw`SELECT id FROM facilities WHERE id = ${found.id}::uuid FOR UPDATE`;
    const before = await tx.facility.findUniqueOrThrow({ where: { id: found.id } });

    const changes: Record<string, string> = {};
    for (const [field, column] of Object.entries(COLUMN) as [keyof typeof COLUMN, (typeof COLUMN)[keyof typeof COLUMN]][]) {
      const value = input[field];
      if (value !== undefined && value !== before[column]) changes[field] = value;
    }
    const changedFields = Object.keys(changes);
    if (!changedFields.length) return { changed: false, code: before.code, changedFields };

    if (changes.code !== undefined) {
      const taken = await tx.facility.findFirst({
        where: { id: { not: before.id }, OR: [{ code: changes.code }, { previousCodes: { has: changes.code } }] },
        select: { code: true },
      });
      if (taken) throw codeTaken("Facility", changes.code, "code", taken.code);
    }
    if (changes.currency !== undefined) {
      const bookings = await tx.booking.count({ where: { facilityId: before.id } });
      if (bookings > 0) {
        const message = `The currency of ${before.code} cannot change: ${bookings} bookings are priced in ${before.currency}.`;
        throw new DomainError("CONFLICT", message, { facility_code: before.code, booking_count: bookings, current_currency: before.currency, field: "currency" }, [
          { path: "currency", message },
        ]);
      }
    }

    const after = await tx.facility.update({
      where: { id: before.id },
      data: {
        ...Object.fromEntries(Object.entries(changes).map(([field, value]) => [COLUMN[field as keyof typeof COLUMN], value])),
        ...(changes.code !== undefined
          ? { previousCodes: [...before.previousCodes.filter((c) => c !== changes.code), before.code] }
          : {}),
      },
    });
    const data = {
      ...facilityData(after),
      changed_fields: changedFields,
      ...(changes.code !== undefined ? { previous_code: before.code } : {}),
    };
    await appendCatalogueEvent(tx, {
      type: "facility.updated",
      aggregateId: after.id,
      facilityId: after.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data,
    });
    await writeAudit(tx, actor, {
      action: "facility.update",
      targetType: "facility",
      targetId: after.id,
      facilityId: after.id,
      metadata: { ...data, before: facilityData(before) },
      at: options.now,
    });
    return { changed: true, code: after.code, changedFields };
  });
}
