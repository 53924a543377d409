-- AlterTable (edited by hand: rows from before have no fingerprint; each gets its own id,
-- so none of them is taken for another's drift)
ALTER TABLE "discrepancies" ADD COLUMN     "fingerprint" TEXT,
ADD COLUMN     "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "discrepancies" SET "fingerprint" = 'legacy:' || "id"::text, "last_seen_at" = "created_at";
ALTER TABLE "discrepancies" ALTER COLUMN "fingerprint" SET NOT NULL;

-- CreateTable
CREATE TABLE "discrepancy_sightings" (
    "run_id" TEXT NOT NULL,
    "discrepancy_id" UUID NOT NULL,

    CONSTRAINT "discrepancy_sightings_pkey" PRIMARY KEY ("run_id","discrepancy_id")
);

-- CreateIndex
CREATE INDEX "discrepancy_sightings_discrepancy_id_idx" ON "discrepancy_sightings"("discrepancy_id");

-- CreateIndex
CREATE INDEX "discrepancies_fingerprint_idx" ON "discrepancies"("fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "discrepancies_one_open_per_fingerprint" ON "discrepancies"("fingerprint") WHERE (status = 'OPEN'::"DiscrepancyStatus");

-- AddForeignKey
ALTER TABLE "discrepancy_sightings" ADD CONSTRAINT "discrepancy_sightings_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "reconciliation_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "discrepancy_sightings" ADD CONSTRAINT "discrepancy_sightings_discrepancy_id_fkey" FOREIGN KEY ("discrepancy_id") REFERENCES "discrepancies"("id") ON DELETE CASCADE ON UPDATE CASCADE;
