-- Sightings without a row per discrepancy per run (docs/domain.md#reconciliation-and-corrections,
-- docs/performance.md#reconciliation). Every run that merges its findings takes the next
-- number of reconciliation_merge_seq (merged_seq, merged_at). A discrepancy is seen by each
-- merged run that covers its kind from the run that opened it until it is closed; closing it
-- records closed_seq, the sequence's next number then (a run that no longer finds it closes
-- it with its own number). Runs and closers take turns on an advisory lock, so no closing
-- falls inside a merge.
CREATE SEQUENCE "reconciliation_merge_seq";

ALTER TABLE "reconciliation_runs" ADD COLUMN "merged_seq" BIGINT, ADD COLUMN "merged_at" TIMESTAMPTZ(3);
ALTER TABLE "discrepancies" ADD COLUMN "closed_seq" BIGINT;

-- Runs so far: the succeeded ones in the order they started (runs take turns), at the time
-- the last discrepancy they saw was last seen (else when they finished).
UPDATE "reconciliation_runs" r SET "merged_seq" = o.n, "merged_at" = coalesce(r."finished_at", r."started_at")
FROM (SELECT id, row_number() OVER (ORDER BY "started_at", id) AS n FROM "reconciliation_runs" WHERE status = 'SUCCEEDED') o
WHERE o.id = r.id;
SELECT setval('reconciliation_merge_seq', coalesce((SELECT max("merged_seq") FROM "reconciliation_runs"), 0) + 1, false);

-- Settled discrepancies: closed just after the last run that recorded a sighting of them.
UPDATE "discrepancies" d SET "closed_seq" = coalesce(
    (SELECT max(r."merged_seq") FROM "discrepancy_sightings" s JOIN "reconciliation_runs" r ON r.id = s.run_id WHERE s.discrepancy_id = d.id),
    (SELECT r."merged_seq" FROM "reconciliation_runs" r WHERE r.id = d.run_id), 0) + 1
WHERE d.status <> 'OPEN';

DROP TABLE "discrepancy_sightings";
ALTER TABLE "discrepancies" DROP COLUMN "last_seen_at";

-- A run's report: the discrepancies of the kinds it covers, opened up to it, not closed before it.
CREATE INDEX "reconciliation_runs_merged_seq_idx" ON "reconciliation_runs"("merged_seq");
