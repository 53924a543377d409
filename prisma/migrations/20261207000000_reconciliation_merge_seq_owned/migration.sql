-- The merge sequence belongs to the runs' merged_seq, so a restore moves it past the
-- restored runs (server/database/backup.ts moves every owned sequence). Closing a
-- discrepancy no longer takes a number of its own: closed_seq is one past the newest
-- merged run, taken under the merge lock, so every number lives in merged_seq
-- (docs/domain.md#reconciliation-and-corrections).
ALTER SEQUENCE "reconciliation_merge_seq" OWNED BY "reconciliation_runs"."merged_seq";
