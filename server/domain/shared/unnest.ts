/**
 * Set-based writes of many rows in one statement: one array parameter per column,
 * unnested into rows (`FROM unnest($1::text[], $2::uuid[], …) AS a(x, y, …)`). The text
 * does not depend on the number of rows, so it can be a prepared statement, and it never
 * runs into PostgreSQL's limit on parameters.
 */

export interface UnnestColumn<Row> {
  /** the column's name in the statement (and the alias of its unnested values) */
  name: string;
  /** the PostgreSQL type of one value; the parameter is an array of it */
  type: string;
  value: (row: Row) => unknown;
}

/** `unnest($first::type[], …) AS alias(name, …)`, for the columns in order. */
export function unnestFrom<Row>(columns: readonly UnnestColumn<Row>[], alias: string, first = 1): string {
  const params = columns.map((c, i) => `$${first + i}::${c.type}[]`).join(", ");
  return `unnest(${params}) AS ${alias}(${columns.map((c) => c.name).join(", ")})`;
}

/** The parameters for `unnestFrom`: one array per column, one element per row. */
export function unnestValues<Row>(columns: readonly UnnestColumn<Row>[], rows: readonly Row[]): unknown[][] {
  return columns.map((c) => rows.map(c.value));
}
