import { Prisma } from "../../generated/prisma/client";

/**
 * CURRENT_RATE — the one rule for "the monthly rate a hold takes now"
 * (docs/domain.md#rates): the latest `unit_type_rates` row effective on the facility's
 * today at `at`, else the unit type's own `monthly_rate_cents` (its rate at creation, or
 * the last change that was effective when it was made). A booking stores the rate it was
 * held at and keeps it.
 *
 * The fragment refers to the unit type as `ut` and the facility as `f`.
 */
export function currentRateSql(at: Date | null): Prisma.Sql {
  const day = at === null ? Prisma.sql`(now() AT TIME ZONE f.timezone)::date` : Prisma.sql`(${at}::timestamptz AT TIME ZONE f.timezone)::date`;
  return Prisma.sql`coalesce((
    SELECT r.monthly_rate_cents FROM unit_type_rates r
    WHERE r.unit_type_id = ut.id AND r.effective_from <= ${day}
    ORDER BY r.effective_from DESC LIMIT 1
  ), ut.monthly_rate_cents)`;
}

/**
 * CURRENT_RATE for rows already read (the catalogue's views): the latest rate effective on
 * `today` (YYYY-MM-DD at the facility), else the type's own. Same rule as the SQL above;
 * catalogue.int.test.ts holds the two to the same answer.
 */
export function rateOn(
  today: string,
  ownRateCents: number,
  rates: readonly { effectiveFrom: string; monthlyRateCents: number }[],
): { current: number; scheduled: { effectiveFrom: string; monthlyRateCents: number }[] } {
  const sorted = [...rates].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const inForce = sorted.filter((r) => r.effectiveFrom <= today).at(-1);
  return { current: inForce?.monthlyRateCents ?? ownRateCents, scheduled: sorted.filter((r) => r.effectiveFrom > today) };
}
