import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { Button, type ButtonProps } from "./button";
import { cx } from "./cx";

/** A data table that scrolls sideways inside its container rather than the page. */
export function Table({ className, caption, children, ...props }: HTMLAttributes<HTMLTableElement> & { caption?: string }) {
  return (
    <div className="relative overflow-x-auto">
      <table className={cx("w-full border-collapse text-sm", className)} {...props}>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cx("bg-slate-50 text-left text-xs font-semibold text-slate-700", className)} {...props} />;
}

export function TBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cx("divide-y divide-slate-100", className)} {...props} />;
}

export function TFoot({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tfoot className={cx("border-t-2 border-slate-200 bg-slate-50 font-semibold text-slate-900", className)} {...props} />;
}

export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cx("align-middle", className)} {...props} />;
}

export function Th({
  className,
  numeric,
  scope = "col",
  ...props
}: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <th
      scope={scope}
      className={cx("py-2.5 whitespace-nowrap first:pl-4 last:pr-4", numeric ? "px-2 text-right" : "px-2.5", className)}
      {...props}
    />
  );
}

export function Td({ className, numeric, ...props }: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <td
      className={cx(
        "py-2.5 text-slate-800 first:pl-4 last:pr-4",
        numeric ? "px-2 text-right whitespace-nowrap tabular-nums" : "px-2.5",
        className,
      )}
      {...props}
    />
  );
}

export type TableColumn = string | { label: string; numeric?: boolean };

/**
 * The header row from the columns' labels. `actions` adds a last, right-aligned column
 * for the rows' buttons, its label for screen readers only.
 */
export function TableHeader({ columns, actions }: { columns: readonly TableColumn[]; actions?: string }) {
  return (
    <THead>
      <Tr>
        {columns.map((column) =>
          typeof column === "string" ? (
            <Th key={column}>{column}</Th>
          ) : (
            <Th key={column.label} numeric={column.numeric}>
              {column.label}
            </Th>
          ),
        )}
        {actions ? (
          <Th className="text-right">
            <span className="sr-only">{actions}</span>
          </Th>
        ) : null}
      </Tr>
    </THead>
  );
}

/** A row's last cell: its buttons, side by side on the right. */
export function RowActions({ children }: { children: ReactNode }) {
  return (
    <Td className="text-right whitespace-nowrap">
      <div className="flex justify-end gap-1.5">{children}</div>
    </Td>
  );
}

export interface RowActionProps extends ButtonProps {
  /** what the row is, added to the button's name for screen readers: "Edit" + " ACME" */
  subject: ReactNode;
}

/** A small button acting on one row, named for screen readers with the row's subject. */
export function RowAction({ subject, children, variant = "secondary", ...props }: RowActionProps) {
  return (
    <Button size="sm" variant={variant} {...props}>
      {children}
      <span className="sr-only"> {subject}</span>
    </Button>
  );
}
