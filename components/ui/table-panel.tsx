import type { ReactNode } from "react";
import { Panel, type PanelProps } from "./card";
import { Table, TableHeader, TBody, type TableColumn } from "./table";

export interface TablePanelProps<T> extends Omit<PanelProps, "children"> {
  rows: readonly T[];
  /** one row: a Tr with its key */
  renderRow: (row: T) => ReactNode;
  /** the table's caption, for screen readers */
  caption: string;
  columns: readonly TableColumn[];
  /** the screen-reader name of a last column holding the rows' buttons */
  actionsColumn?: string;
  /** shown instead of the table when there are no rows */
  empty: ReactNode;
  /** between the header and the table, e.g. a filter bar */
  toolbar?: ReactNode;
}

/** A Panel listing rows in a table, or saying there are none. */
export function TablePanel<T>({ rows, renderRow, caption, columns, actionsColumn, empty, toolbar, ...panel }: TablePanelProps<T>) {
  return (
    <Panel {...panel}>
      {toolbar}
      {rows.length === 0 ? (
        empty
      ) : (
        <Table caption={caption}>
          <TableHeader columns={columns} actions={actionsColumn} />
          <TBody>{rows.map((row) => renderRow(row))}</TBody>
        </Table>
      )}
    </Panel>
  );
}
