-- AlterTable
ALTER TABLE "api_request_log" ADD COLUMN     "booking_references" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "facility_id" UUID,
ADD COLUMN     "idempotency_key" TEXT,
ADD COLUMN     "ip" TEXT,
ADD COLUMN     "key_prefix" TEXT,
ADD COLUMN     "path" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "query" TEXT,
ADD COLUMN     "request_body" TEXT,
ADD COLUMN     "request_truncated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "response_body" TEXT,
ADD COLUMN     "response_truncated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'partner_api',
ADD COLUMN     "user_agent" TEXT;

-- CreateIndex
CREATE INDEX "api_request_log_partner_id_id_idx" ON "api_request_log"("partner_id", "id");

-- CreateIndex
CREATE INDEX "api_request_log_idempotency_key_idx" ON "api_request_log"("idempotency_key");

-- CreateIndex
CREATE INDEX "api_request_log_facility_id_id_idx" ON "api_request_log"("facility_id", "id");

-- CreateIndex
CREATE INDEX "api_request_log_booking_references_idx" ON "api_request_log" USING GIN ("booking_references");
