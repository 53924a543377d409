/**
 * The row `$queryRaw` returns for some of a model's columns, typed from the generated
 * client (docs/conventions.md#data-access): the model's fields under their column names
 * (`facilityId` → `facility_id`, as every `@map` in prisma/schema.prisma names them), so
 * a row type is never a hand-written copy of the schema. Columns a query computes or takes
 * from a join (`f.code AS facility_code`) are added with `&`.
 *
 *   type BlockRow = SqlRow<MaintenanceBlock, "id" | "facilityId" | "endsAt">;
 *   // { id: string; facility_id: string; ends_at: Date | null }
 */
export type SqlRow<Model, Field extends keyof Model & string> = { [F in Field as ColumnName<F>]: Model[F] };

/** `holdExpiresAt` → `hold_expires_at`. */
export type ColumnName<Field extends string> = Field extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${ColumnName<Tail>}`
  : Field;

