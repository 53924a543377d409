import type { z } from "zod";
import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope, scopeSql } from "@/server/domain/shared/facility-scope";
import { notFound } from "@/server/domain/shared/errors";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { KPI_DEFS, type Dims, type KpiChart, type KpiDef, type KpiField, type KpiUnit, type Reader } from "./kpi-definitions";
import { KpiDashboardInput, resolveRange, type BucketSize, type KpiRange, type ResolvedRange } from "./kpi-filters";
import { bucketReader, indexRows, rangeReader, type BinRow, type BinsIndex, type PartsIndex, type PartsRow } from "./kpi-reader";
import { FACILITY_ONLY_METRICS } from "./metrics";

/**
 * The KPI dashboard's read side (docs/domain.md#kpis): the roll-up's buckets for a range, a
 * facility and a partner, turned into one series per KPI with its written definition.
 * The actor's facility scope is part of the query: a site manager reads only rows of
 * their facilities (and never the rows that belong to no facility, which cover all of
 * them); a facility outside the scope is "not found".
 */

export interface KpiPoint {
  bucketStart: Date;
  values: Record<string, number | null>;
}

export interface KpiSeries {
  key: string;
  title: string;
  chart: KpiChart;
  /** stack the plotted series (bars, areas) */
  stacked: boolean;
  definition: string;
  fields: KpiField[];
  points: KpiPoint[];
  summary: { label: string; value: number | null; unit: KpiUnit };
  /** false: the filters ask for a breakdown this KPI is not recorded by (see `unavailableReason`) */
  available: boolean;
  unavailableReason: string | null;
  /** true when nothing was counted in the whole range */
  empty: boolean;
}

export interface KpiDashboard {
  range: KpiRange;
  bucketSize: BucketSize;
  start: Date;
  end: Date;
  /** the zone bucket times are labelled in: the facility's when one is chosen, else UTC */
  timezone: string;
  facility: { code: string; name: string; timezone: string } | null;
  partner: { code: string; name: string } | null;
  /** scoped to the user's facilities (a site manager) */
  scoped: boolean;
  kpis: KpiSeries[];
  /** the roll-up's last run: data up to `watermark` is counted */
  rollup: { watermark: Date; lastRunAt: Date } | null;
}

interface Filters {
  facility: { id: string; code: string; name: string; timezone: string } | null;
  partner: { id: string; code: string; name: string } | null;
}

type Db = ReturnType<typeof getDb>;

/** The dashboard for `actor` (kpi.read; a site manager only their facilities). */
export async function getKpiDashboard(actor: Actor, rawInput: KpiDashboardInput, now = new Date()): Promise<KpiDashboard> {
  const input = parseOrRefuse(KpiDashboardInput, rawInput);
  const db = getDb();
  const range = resolveRange(input, now);
  const scoped = actor.facilityIds !== null;
  const { facility, partner } = await findFilters(db, actor, input);
  const [[rows, binRows], state] = await Promise.all([
    queryBuckets(db, actor, range, { facility, partner }),
    db.kpiRollupState.findUnique({ where: { id: "kpi" } }),
  ]);
  const { partsIndex, binsIndex } = indexRows(rows, binRows);

  const filters = { facility: facility !== null, scoped, partner: partner !== null };
  const whole = rangeReader(partsIndex, binsIndex);
  const kpis = KPI_DEFS.map((def) => seriesOf(def, range, partsIndex, binsIndex, whole, unavailableReason(def.dims, filters)));

  return {
    range: input.range,
    bucketSize: range.bucketSize,
    start: range.start,
    end: range.end,
    timezone: facility?.timezone ?? "UTC",
    facility: facility ? { code: facility.code, name: facility.name, timezone: facility.timezone } : null,
    partner: partner ? { code: partner.code, name: partner.name } : null,
    scoped,
    kpis,
    rollup: state ? { watermark: state.watermark, lastRunAt: state.lastRunAt } : null,
  };
}

/** The facility (within the actor's scope) and the partner the input names; an unknown one is NOT_FOUND. */
async function findFilters(db: Db, actor: Actor, input: z.output<typeof KpiDashboardInput>): Promise<Filters> {
  let facility: { id: string; code: string; name: string; timezone: string } | null = null;
  if (input.facility) {
    facility = await db.facility.findFirst({
      where: { code: input.facility, ...facilitiesInScope(actor) },
      select: { id: true, code: true, name: true, timezone: true },
    });
    if (!facility) throw notFound("Facility", input.facility);
  }
  let partner: { id: string; code: string; name: string } | null = null;
  if (input.partner) {
    partner = await db.partner.findUnique({ where: { code: input.partner }, select: { id: true, code: true, name: true } });
    if (!partner) throw notFound("Partner", input.partner);
  }
  return { facility, partner };
}

/** The roll-up's rows for the range, in the facility scope and for the partner. */
async function queryBuckets(db: Db, actor: Actor, range: ResolvedRange, { facility, partner }: Filters) {
  // Facility scope in the query: one facility, the user's facilities, or everything.
  const facilityWhere = Prisma.sql`${facility ? Prisma.sql`AND facility_id = ${facility.id}::uuid` : Prisma.empty} ${scopeSql(actor, Prisma.sql`facility_id`)}`;
  const partnerWhere = partner
    ? Prisma.sql`AND (partner_id = ${partner.id}::uuid OR metric = ANY(${[...FACILITY_ONLY_METRICS]}::text[]))`
    : Prisma.empty;

  return Promise.all([
    db.$queryRaw<PartsRow[]>`
      SELECT metric, bucket_start, facility_id, sum(count)::bigint AS count, sum(total)::bigint AS total, sum(sum)::float8 AS sum
      FROM kpi_buckets
      WHERE bucket_size = ${range.bucketSize}::"KpiBucketSize" AND bucket_start >= ${range.start} AND bucket_start < ${range.end}
        ${facilityWhere} ${partnerWhere}
      GROUP BY metric, bucket_start, facility_id`,
    db.$queryRaw<BinRow[]>`
      SELECT metric, bucket_start, bin, sum(count)::bigint AS count
      FROM kpi_bucket_bins
      WHERE bucket_size = ${range.bucketSize}::"KpiBucketSize" AND bucket_start >= ${range.start} AND bucket_start < ${range.end}
        ${facilityWhere} ${partnerWhere}
      GROUP BY metric, bucket_start, bin`,
  ]);
}

function unavailableReason(dims: Dims, filters: { facility: boolean; scoped: boolean; partner: boolean }): string | null {
  if (!dims.facility && filters.scoped) return "Covers every facility, so it is not shown to users who see only their own facilities.";
  if (!dims.facility && filters.facility) return "Not recorded per facility: clear the facility filter to see it.";
  if (!dims.partner && filters.partner) return "Not recorded per partner: clear the partner filter to see it.";
  return null;
}

/** One KPI's series over the range's buckets; none when the filters ask for a breakdown it is not recorded by. */
function seriesOf(
  def: KpiDef,
  range: ResolvedRange,
  partsIndex: PartsIndex,
  binsIndex: BinsIndex,
  whole: Reader,
  reason: string | null,
): KpiSeries {
  const points = reason
    ? []
    : range.buckets.map((bucket) => ({ bucketStart: bucket, values: def.values(bucketReader(partsIndex, binsIndex, bucket.getTime())) }));
  const summaryValue = reason ? null : summaryOf(def, points, whole);
  const empty = points.every((point) =>
    def.fields.every((field) => {
      const value = point.values[field.key];
      return value === null || value === undefined || (field.unit === "count" && value === 0);
    }),
  );
  return {
    key: def.key,
    title: def.title,
    chart: def.chart,
    stacked: def.stacked ?? false,
    definition: def.definition,
    fields: def.fields,
    points,
    summary: { label: def.summary.label, value: summaryValue, unit: def.summary.unit },
    available: reason === null,
    unavailableReason: reason,
    empty,
  };
}

function summaryOf(def: KpiDef, points: KpiPoint[], whole: Reader): number | null {
  if (def.summary.of === "last") {
    for (let i = points.length - 1; i >= 0; i--) {
      const value = points[i]!.values[def.summary.field];
      if (value !== null && value !== undefined) return value;
    }
    return null;
  }
  const values = def.values(whole);
  if (def.summary.field === "total") {
    return def.fields.reduce((sum, field) => sum + (field.plotted ? (values[field.key] ?? 0) : 0), 0);
  }
  return values[def.summary.field] ?? null;
}
