import type { ReactNode } from "react";
import { cx } from "@/components/ui/cx";
import { fieldRows, resolve, schemaAnchor, typeLabel, type JsonSchema, type OpenApiDocument } from "./openapi-model";
import { Described, link, RequiredMark } from "./reference-ui";

/** The reference's tables: a schema's fields, and the plain table every other one is drawn with. */

export function FieldTable({
  doc,
  schema,
  caption,
  codes,
  flush,
}: {
  doc: OpenApiDocument;
  schema: JsonSchema;
  caption: string;
  codes: Set<string>;
  flush?: boolean;
}) {
  const rows = fieldRows(doc, schema);
  if (rows.length === 0) {
    const target = resolve(doc, schema);
    return <p className="text-sm text-slate-600">{typeLabel(target)}</p>;
  }
  return (
    <SimpleTable
      caption={caption}
      head={["Field", "Type", "", "Constraints and description"]}
      widths={["w-[30%]", "w-[20%]", "w-[11%]", ""]}
      flush={flush}
    >
      {rows.map((row) => (
        <tr key={row.path}>
          <Cell className="font-mono break-words">
            <span style={{ paddingLeft: `${row.depth * 1.25}rem` }} className="inline-block">
              {row.depth > 0 ? <span className="mr-1 text-slate-400" aria-hidden="true">└</span> : null}
              <span className="font-semibold text-slate-900">{row.name}</span>
              {row.depth > 0 ? <span className="sr-only"> ({row.path})</span> : null}
            </span>
          </Cell>
          <Cell className="font-mono text-xs break-words">
            {row.ref ? (
              <>
                {row.type.replace(row.ref, "")}
                <a href={`#${schemaAnchor(row.ref)}`} className={link}>
                  {row.ref}
                </a>
              </>
            ) : (
              row.type
            )}
          </Cell>
          <Cell>
            <RequiredMark required={row.required} />
          </Cell>
          <Cell>
            <Described description={row.description} constraints={row.constraints} codes={codes} />
          </Cell>
        </tr>
      ))}
    </SimpleTable>
  );
}

export function SimpleTable({
  caption,
  head,
  widths,
  children,
  flush,
}: {
  caption: string;
  head: string[];
  /** fixed column widths, so tables of the same kind line up down the page */
  widths?: string[];
  children: ReactNode;
  flush?: boolean;
}) {
  return (
    <div className={cx("overflow-x-auto", !flush && "rounded-md border border-slate-200")}>
      <table className={cx("w-full border-collapse text-sm", widths && "table-fixed")}>
        <caption className="sr-only">{caption}</caption>
        {widths ? (
          <colgroup>
            {widths.map((w, i) => (
              <col key={i} className={w} />
            ))}
          </colgroup>
        ) : null}
        <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-700">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2 whitespace-nowrap">
                {h || <span className="sr-only">Required</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-baseline">{children}</tbody>
      </table>
    </div>
  );
}

export function Cell({ className, children }: { className?: string; children: ReactNode }) {
  return <td className={cx("px-3 py-2 text-slate-800", className)}>{children}</td>;
}
