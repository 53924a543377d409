import type { Prisma } from "../../../generated/prisma/client";
import type { ImportRowError } from "./import-file";

/**
 * A catalogue import as every reader sees it (docs/domain.md#catalogue-imports): the REST
 * resource, the console and the tests map from this one shape.
 */
export type ImportStatus = "PLANNING" | "PLANNED" | "APPLYING" | "COMPLETED" | "CANCELLED" | "FAILED";
export type ImportRowAction = "ADD" | "CHANGE" | "RETIRE" | "NONE" | "ERROR";
export type ImportRowStatus = "PENDING" | "APPLIED" | "FAILED" | "SKIPPED";

export interface ImportView {
  id: string;
  facilityCode: string;
  status: ImportStatus;
  dryRun: boolean;
  format: "csv" | "json";
  fileName: string | null;
  requestedBy: string;
  plan: { rows: number; add: number; change: number; retire: number; unchanged: number; errors: number };
  progress: { toApply: number; processed: number; added: number; changed: number; retired: number; failed: number; percent: number };
  error: string | null;
  createdAt: Date;
  plannedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledAt: Date | null;
}

export interface ImportRowView {
  line: number;
  unitCode: string | null;
  unitTypeCode: string | null;
  floor: number | null;
  action: ImportRowAction;
  status: ImportRowStatus;
  before: { unit_type_code: string; floor: number; status: string } | null;
  error: ImportRowError | null;
}

/** The statuses after which nothing more happens. */
export const FINISHED_IMPORT_STATUSES: readonly ImportStatus[] = ["COMPLETED", "CANCELLED", "FAILED"];

export const IMPORT_SELECT = {
  id: true,
  status: true,
  dryRun: true,
  format: true,
  fileName: true,
  requestedBy: true,
  totalRows: true,
  toAdd: true,
  toChange: true,
  toRetire: true,
  unchanged: true,
  errorRows: true,
  processed: true,
  added: true,
  changed: true,
  retired: true,
  failed: true,
  error: true,
  createdAt: true,
  plannedAt: true,
  startedAt: true,
  finishedAt: true,
  cancelledAt: true,
  facility: { select: { code: true } },
} as const satisfies Prisma.CatalogueImportSelect;

type ImportRecord = Prisma.CatalogueImportGetPayload<{ select: typeof IMPORT_SELECT }>;

export function importView(record: ImportRecord): ImportView {
  const toApply = record.toAdd + record.toChange + record.toRetire;
  const done = record.status === "COMPLETED";
  return {
    id: record.id,
    facilityCode: record.facility.code,
    status: record.status,
    dryRun: record.dryRun,
    format: record.format === "json" ? "json" : "csv",
    fileName: record.fileName,
    requestedBy: record.requestedBy,
    plan: { rows: record.totalRows, add: record.toAdd, change: record.toChange, retire: record.toRetire, unchanged: record.unchanged, errors: record.errorRows },
    progress: {
      toApply,
      processed: record.processed,
      added: record.added,
      changed: record.changed,
      retired: record.retired,
      failed: record.failed,
      percent: done || toApply === 0 ? (done ? 100 : 0) : Math.min(100, Math.floor((record.processed / toApply) * 100)),
    },
    error: record.error,
    createdAt: record.createdAt,
    plannedAt: record.plannedAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    cancelledAt: record.cancelledAt,
  };
}
