import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { pgIsoDate } from "@/server/domain/shared/safe-input";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { appendCatalogueEvent } from "./catalogue-events";
import { dayAt } from "./catalogue-codes";
import { findFacility, findUnitType } from "./find-facility";
import { MonthlyRateCents, unitTypeData } from "./unit-type-fields";

export const ChangeUnitTypeRateInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    unit_type_code: z.string().trim().min(1).max(32),
    monthly_rate_cents: MonthlyRateCents,
    /** YYYY-MM-DD at the facility: today or later (absent: today) */
    effective_from: pgIsoDate().optional(),
  })
  .strict();
export type ChangeUnitTypeRateInput = z.input<typeof ChangeUnitTypeRateInput>;

export interface ChangeUnitTypeRateResult {
  code: string;
  monthlyRateCents: number;
  effectiveFrom: string;
  /** the rate was effective at once (effective_from is the facility's today) */
  effectiveNow: boolean;
}

const MAX_DAYS_AHEAD = 730;

/**
 * A new monthly rate for a unit type from a date on (docs/domain.md#rates): a
 * `unit_type_rates` row (a second change for the same date replaces the first). Holds
 * made from that date at the facility take it (CURRENT_RATE); bookings made before keep
 * the rate they were held at. A date before the facility's today is refused. Effective
 * today, the type's own `monthly_rate_cents` follows at once. Event unit_type.updated and
 * the audit entry in the same transaction.
 */
export async function changeUnitTypeRate(raw: ChangeUnitTypeRateInput, actor: Actor, options: ServiceOptions = {}): Promise<ChangeUnitTypeRateResult> {
  await authorize(actor, "catalogue.manage");
  const input = parseOrRefuse(ChangeUnitTypeRateInput, raw);
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const facility = await findFacility(tx, actor, input.facility_code);
    const found = await findUnitType(tx, facility, input.unit_type_code);
    await tx.$queryRaw`SELECT id FROM unit_types WHERE id = ${found.id}::uuid FOR UPDATE`;
    const today = dayAt(facility.timezone, now);
    const effectiveFrom = input.effective_from ?? today;
    const problem =
      effectiveFrom < today
        ? `effective_from ${effectiveFrom} is before today (${today}) at ${facility.code}; bookings keep the rate they were made at.`
        : Date.parse(effectiveFrom) - Date.parse(today) > MAX_DAYS_AHEAD * 86_400_000
          ? `effective_from may be at most ${MAX_DAYS_AHEAD} days ahead.`
          : null;
    if (problem) throw new DomainError("VALIDATION_FAILED", problem, {}, [{ path: "effective_from", message: problem }]);

    const day = new Date(`${effectiveFrom}T00:00:00Z`);
    const previous = await tx.unitTypeRate.findUnique({ where: { unitTypeId_effectiveFrom: { unitTypeId: found.id, effectiveFrom: day } } });
    await tx.unitTypeRate.upsert({
      where: { unitTypeId_effectiveFrom: { unitTypeId: found.id, effectiveFrom: day } },
      create: { unitTypeId: found.id, monthlyRateCents: input.monthly_rate_cents, effectiveFrom: day, correlationId: actor.correlationId, createdAt: options.now },
      update: { monthlyRateCents: input.monthly_rate_cents, correlationId: actor.correlationId },
    });
    const effectiveNow = effectiveFrom === today;
    const after = effectiveNow
      ? await tx.unitType.update({ where: { id: found.id }, data: { monthlyRateCents: input.monthly_rate_cents } })
      : found;
    const rate = { monthly_rate_cents: input.monthly_rate_cents, effective_from: effectiveFrom, replaced_monthly_rate_cents: previous?.monthlyRateCents ?? null };
    const data = { ...unitTypeData(facility.code, after), changed_fields: ["rate"], rate };
    await appendCatalogueEvent(tx, {
      type: "unit_type.updated",
      aggregateId: found.id,
      facilityId: facility.id,
      correlationId: actor.correlationId,
      createdAt: options.now,
      data,
    });
    await writeAudit(tx, actor, {
      action: "unit_type.rate_change",
      targetType: "unit_type",
      targetId: found.id,
      facilityId: facility.id,
      metadata: { ...data, previous_monthly_rate_cents: found.monthlyRateCents },
      at: options.now,
    });
    return { code: after.code, monthlyRateCents: input.monthly_rate_cents, effectiveFrom, effectiveNow };
  });
}
