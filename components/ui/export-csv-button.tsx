"use client";

import { useState } from "react";
import { Button } from "./button";
import { csvFileName, toCsv, type CsvColumn } from "./csv";

/**
 * Exports a list as CSV: `fetchRows` loads every row matching the current filters (not
 * just the page on screen, up to the server's export cap) and the file is built in the
 * browser. Shows progress and a readable error.
 */
export function ExportCsvButton<T>({
  list,
  columns,
  fetchRows,
  label = "Export CSV",
}: {
  /** names the file: holdfast-{list}-{time}.csv */
  list: string;
  columns: readonly CsvColumn<T>[];
  fetchRows: () => Promise<readonly T[]>;
  label?: string;
}) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  async function run() {
    setState({ busy: true, error: null });
    try {
      const rows = await fetchRows();
      const blob = new Blob([toCsv(columns, rows)], { type: "text/csv;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = csvFileName(list);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error: error instanceof Error ? error.message : "The export failed" });
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <Button type="button" variant="secondary" size="sm" onClick={run} disabled={state.busy} data-testid={`export-${list}`}>
        {state.busy ? "Exporting…" : label}
      </Button>
      {state.error ? (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      ) : null}
    </span>
  );
}
