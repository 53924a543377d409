-- DropIndex
DROP INDEX "inbound_webhook_events_booking_reference_idx";

-- AlterTable
ALTER TABLE "inbound_webhook_events" ADD COLUMN     "occurred_at" TIMESTAMPTZ(3),
ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "provider_event_id" TEXT;

-- CreateTable
CREATE TABLE "demo_receiver_hits" (
    "endpoint_id" TEXT NOT NULL,
    "webhook_id" TEXT NOT NULL,
    "partner_code" TEXT NOT NULL,
    "event_type" TEXT,
    "hits" INTEGER NOT NULL DEFAULT 1,
    "last_status" INTEGER,
    "first_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "demo_receiver_hits_pkey" PRIMARY KEY ("endpoint_id","webhook_id")
);

-- CreateIndex
CREATE INDEX "demo_receiver_hits_partner_code_last_at_idx" ON "demo_receiver_hits"("partner_code", "last_at");

-- CreateIndex
CREATE INDEX "demo_receiver_hits_last_at_idx" ON "demo_receiver_hits"("last_at");

-- CreateIndex
CREATE INDEX "inbound_webhook_events_booking_reference_occurred_at_idx" ON "inbound_webhook_events"("booking_reference", "occurred_at");

-- Written by hand: an inbound event is final (processed_at set) in every status but RECEIVED.
ALTER TABLE "inbound_webhook_events"
  ADD CONSTRAINT "inbound_webhook_events_processed_at_check" CHECK ((status = 'RECEIVED') = (processed_at IS NULL));
ALTER TABLE "demo_receiver_hits" ADD CONSTRAINT "demo_receiver_hits_hits_check" CHECK (hits >= 1);
