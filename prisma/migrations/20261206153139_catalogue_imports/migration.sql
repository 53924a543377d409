-- CreateEnum
CREATE TYPE "ImportStatus" AS ENUM ('PLANNING', 'PLANNED', 'APPLYING', 'COMPLETED', 'CANCELLED', 'FAILED');

-- CreateEnum
CREATE TYPE "ImportRowAction" AS ENUM ('ADD', 'CHANGE', 'RETIRE', 'NONE', 'ERROR');

-- CreateEnum
CREATE TYPE "ImportRowStatus" AS ENUM ('PENDING', 'APPLIED', 'FAILED', 'SKIPPED');

-- CreateTable
CREATE TABLE "catalogue_imports" (
    "id" TEXT NOT NULL,
    "facility_id" UUID NOT NULL,
    "status" "ImportStatus" NOT NULL DEFAULT 'PLANNING',
    "dry_run" BOOLEAN NOT NULL,
    "format" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "file_name" TEXT,
    "requested_by_id" UUID,
    "partner_id" UUID,
    "requested_by" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "total_rows" INTEGER NOT NULL DEFAULT 0,
    "to_add" INTEGER NOT NULL DEFAULT 0,
    "to_change" INTEGER NOT NULL DEFAULT 0,
    "to_retire" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "error_rows" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "added" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "retired" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "runner_token" UUID,
    "heartbeat_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "planned_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "catalogue_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalogue_import_rows" (
    "import_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "unit_code" TEXT,
    "unit_type_code" TEXT,
    "floor" INTEGER,
    "action" "ImportRowAction" NOT NULL,
    "status" "ImportRowStatus" NOT NULL DEFAULT 'PENDING',
    "before" JSONB,
    "error" JSONB,

    CONSTRAINT "catalogue_import_rows_pkey" PRIMARY KEY ("import_id","line")
);

-- CreateIndex
CREATE INDEX "catalogue_imports_facility_id_created_at_idx" ON "catalogue_imports"("facility_id", "created_at");

-- CreateIndex
CREATE INDEX "catalogue_imports_status_idx" ON "catalogue_imports"("status");

-- CreateIndex
CREATE INDEX "catalogue_import_rows_import_id_action_idx" ON "catalogue_import_rows"("import_id", "action");

-- AddForeignKey
ALTER TABLE "catalogue_imports" ADD CONSTRAINT "catalogue_imports_facility_id_fkey" FOREIGN KEY ("facility_id") REFERENCES "facilities"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalogue_imports" ADD CONSTRAINT "catalogue_imports_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalogue_imports" ADD CONSTRAINT "catalogue_imports_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalogue_import_rows" ADD CONSTRAINT "catalogue_import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "catalogue_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE;
