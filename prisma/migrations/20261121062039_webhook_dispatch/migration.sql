-- AlterTable (edited by hand: filled from the delivery before it becomes NOT NULL)
ALTER TABLE "webhook_attempts" ADD COLUMN     "endpoint_id" TEXT;
UPDATE "webhook_attempts" a SET "endpoint_id" = d."endpoint_id" FROM "webhook_deliveries" d WHERE d."id" = a."delivery_id";
ALTER TABLE "webhook_attempts" ALTER COLUMN "endpoint_id" SET NOT NULL;

-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "lease_token" UUID,
ADD COLUMN     "locked_until" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "webhook_endpoints" ADD COLUMN     "throttled_until" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "webhook_fanout_cursor" (
    "id" INTEGER NOT NULL,
    "last_txid" BIGINT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_fanout_cursor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_attempts_endpoint_id_started_at_idx" ON "webhook_attempts"("endpoint_id", "started_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_due_by_endpoint" ON "webhook_deliveries"("endpoint_id", "next_attempt_at") WHERE ((status = ANY (ARRAY['PENDING'::"DeliveryStatus", 'RETRYING'::"DeliveryStatus"])) AND (next_attempt_at IS NOT NULL));

-- CreateIndex
CREATE INDEX "webhook_deliveries_in_flight" ON "webhook_deliveries"("endpoint_id", "locked_until") WHERE (locked_until IS NOT NULL);

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ───── Written by hand ─────

-- The fan-out starts after the events already stored: none of them was ever meant for
-- an endpoint (there were none), and a fresh database starts from the beginning.
INSERT INTO "webhook_fanout_cursor" ("id", "last_txid", "last_seq", "updated_at")
SELECT 1, coalesce(max("txid"), 0), coalesce(max("seq"), 0), CURRENT_TIMESTAMP FROM "events";

ALTER TABLE "webhook_fanout_cursor" ADD CONSTRAINT "webhook_fanout_cursor_single_row" CHECK ("id" = 1);

-- A lease is a time and a token, or neither.
ALTER TABLE "webhook_deliveries"
  ADD CONSTRAINT "webhook_deliveries_lease_pair" CHECK (("locked_until" IS NULL) = ("lease_token" IS NULL)),
  ADD CONSTRAINT "webhook_deliveries_attempt_count_non_negative" CHECK ("attempt_count" >= 0);

ALTER TABLE "webhook_endpoints"
  ADD CONSTRAINT "webhook_endpoints_max_concurrency_bounds" CHECK ("max_concurrency" BETWEEN 1 AND 256),
  ADD CONSTRAINT "webhook_endpoints_consecutive_failures_non_negative" CHECK ("consecutive_failures" >= 0),
  ADD CONSTRAINT "webhook_endpoints_disabled_has_reason" CHECK ("status" <> 'DISABLED' OR "disabled_reason" IS NOT NULL);

ALTER TABLE "webhook_attempts"
  ADD CONSTRAINT "webhook_attempts_attempt_number_positive" CHECK ("attempt_number" >= 1),
  ADD CONSTRAINT "webhook_attempts_duration_non_negative" CHECK ("duration_ms" IS NULL OR "duration_ms" >= 0);
