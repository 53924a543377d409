-- AlterEnum
ALTER TYPE "UnitStatus" ADD VALUE 'RETIRED';

-- AlterTable
ALTER TABLE "facilities" ADD COLUMN     "previous_codes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "unit_types" ADD COLUMN     "features" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "previous_codes" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "unit_type_rates" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "unit_type_id" UUID NOT NULL,
    "monthly_rate_cents" INTEGER NOT NULL,
    "effective_from" DATE NOT NULL,
    "correlation_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "unit_type_rates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "unit_type_rates_unit_type_id_effective_from_key" ON "unit_type_rates"("unit_type_id", "effective_from");

-- AddForeignKey
ALTER TABLE "unit_type_rates" ADD CONSTRAINT "unit_type_rates_unit_type_id_fkey" FOREIGN KEY ("unit_type_id") REFERENCES "unit_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "unit_type_rates" ADD CONSTRAINT "unit_type_rates_rate_non_negative" CHECK (monthly_rate_cents >= 0);
