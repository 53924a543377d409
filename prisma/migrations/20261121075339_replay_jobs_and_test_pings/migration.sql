-- AlterTable
ALTER TABLE "replay_jobs" ADD COLUMN     "cancelled_at" TIMESTAMPTZ(3),
ADD COLUMN     "cancelled_by_id" UUID,
ADD COLUMN     "cursor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "failed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "skipped" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "succeeded" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "replay_job_items" (
    "job_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "delivery_id" TEXT NOT NULL,

    CONSTRAINT "replay_job_items_pkey" PRIMARY KEY ("job_id","seq")
);

-- CreateTable
CREATE TABLE "webhook_test_pings" (
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "requested_by_id" UUID,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "response_status" INTEGER,
    "response_body" TEXT,
    "failure_class" "FailureClass",
    "error_message" TEXT,
    "request_headers" JSONB NOT NULL,
    "signed_with" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "correlation_id" TEXT,

    CONSTRAINT "webhook_test_pings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "replay_job_items_delivery_id_idx" ON "replay_job_items"("delivery_id");

-- CreateIndex
CREATE INDEX "webhook_test_pings_endpoint_id_started_at_idx" ON "webhook_test_pings"("endpoint_id", "started_at");

-- AddForeignKey
ALTER TABLE "replay_job_items" ADD CONSTRAINT "replay_job_items_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "replay_jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "replay_job_items" ADD CONSTRAINT "replay_job_items_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_test_pings" ADD CONSTRAINT "webhook_test_pings_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
