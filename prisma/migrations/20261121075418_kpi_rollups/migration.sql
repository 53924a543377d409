-- CreateEnum
CREATE TYPE "KpiBucketSize" AS ENUM ('HOUR', 'DAY');

-- CreateTable
CREATE TABLE "kpi_buckets" (
    "metric" TEXT NOT NULL,
    "bucket_size" "KpiBucketSize" NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "facility_id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "total" BIGINT NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kpi_buckets_pkey" PRIMARY KEY ("metric","bucket_size","bucket_start","facility_id","partner_id")
);

-- CreateTable
CREATE TABLE "kpi_bucket_bins" (
    "metric" TEXT NOT NULL,
    "bucket_size" "KpiBucketSize" NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "facility_id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "bin" SMALLINT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "kpi_bucket_bins_pkey" PRIMARY KEY ("metric","bucket_size","bucket_start","facility_id","partner_id","bin")
);

-- CreateTable
CREATE TABLE "kpi_rollup_state" (
    "id" TEXT NOT NULL,
    "watermark" TIMESTAMPTZ(3) NOT NULL,
    "last_run_at" TIMESTAMPTZ(3) NOT NULL,
    "last_duration_ms" INTEGER NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "kpi_rollup_state_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "kpi_buckets_bucket_size_bucket_start_idx" ON "kpi_buckets"("bucket_size", "bucket_start");

-- CreateIndex
CREATE INDEX "kpi_bucket_bins_bucket_size_bucket_start_idx" ON "kpi_bucket_bins"("bucket_size", "bucket_start");

-- CreateIndex
CREATE INDEX "webhook_deliveries_succeeded_at_idx" ON "webhook_deliveries"("succeeded_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_dead_at_idx" ON "webhook_deliveries"("dead_at");

-- Hand-written: what Prisma cannot express.
ALTER TABLE "kpi_buckets" ADD CONSTRAINT "kpi_buckets_non_negative" CHECK ("count" >= 0 AND "total" >= 0);
ALTER TABLE "kpi_bucket_bins" ADD CONSTRAINT "kpi_bucket_bins_bin_range" CHECK ("bin" >= 0 AND "bin" < 100 AND "count" > 0);
