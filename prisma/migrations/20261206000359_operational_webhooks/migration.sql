-- CreateTable
CREATE TABLE "operational_webhook_endpoints" (
    "id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "min_severity" "Severity" NOT NULL DEFAULT 'LOW',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_at" TIMESTAMPTZ(3),
    "secret_ciphertext" TEXT NOT NULL,
    "secret_version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operational_webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operational_webhook_deliveries" (
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "incident_id" TEXT,
    "timeline_entry_id" BIGINT,
    "body" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status" INTEGER,
    "succeeded_at" TIMESTAMPTZ(3),
    "dead_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),
    "lease_token" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "operational_webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operational_webhook_attempts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "delivery_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "attempt_number" INTEGER NOT NULL,
    "trigger" "AttemptTrigger" NOT NULL,
    "triggered_by_id" UUID,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "response_status" INTEGER,
    "response_body" TEXT,
    "failure_class" "FailureClass",
    "error_message" TEXT,
    "request_headers" JSONB NOT NULL,
    "signed_with" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "correlation_id" TEXT,

    CONSTRAINT "operational_webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "operational_webhook_deliveries_endpoint_id_created_at_idx" ON "operational_webhook_deliveries"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "operational_webhook_deliveries_due" ON "operational_webhook_deliveries"("next_attempt_at") WHERE ((status = ANY (ARRAY['PENDING'::"DeliveryStatus", 'RETRYING'::"DeliveryStatus"])) AND (next_attempt_at IS NOT NULL));

-- CreateIndex
CREATE UNIQUE INDEX "operational_webhook_deliveries_endpoint_id_timeline_entry_i_key" ON "operational_webhook_deliveries"("endpoint_id", "timeline_entry_id");

-- CreateIndex
CREATE INDEX "operational_webhook_attempts_delivery_id_attempt_number_idx" ON "operational_webhook_attempts"("delivery_id", "attempt_number");

-- CreateIndex
CREATE INDEX "operational_webhook_attempts_endpoint_id_started_at_idx" ON "operational_webhook_attempts"("endpoint_id", "started_at");

-- AddForeignKey
ALTER TABLE "operational_webhook_deliveries" ADD CONSTRAINT "operational_webhook_deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "operational_webhook_endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operational_webhook_attempts" ADD CONSTRAINT "operational_webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "operational_webhook_deliveries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operational_webhook_attempts" ADD CONSTRAINT "operational_webhook_attempts_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "operational_webhook_endpoints"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
