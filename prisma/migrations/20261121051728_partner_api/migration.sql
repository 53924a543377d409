-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "read_rate_limit_per_minute" INTEGER,
ADD COLUMN     "write_rate_limit_per_minute" INTEGER;

-- AlterTable
ALTER TABLE "facilities" ADD COLUMN     "currency" CHAR(3) NOT NULL DEFAULT 'GBP';

-- CreateTable
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);

-- Written by hand.
ALTER TABLE "api_keys"
  ADD CONSTRAINT "api_keys_rate_limits_positive"
    CHECK (("read_rate_limit_per_minute" IS NULL OR "read_rate_limit_per_minute" > 0)
       AND ("write_rate_limit_per_minute" IS NULL OR "write_rate_limit_per_minute" > 0));
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_currency_iso" CHECK ("currency" ~ '^[A-Z]{3}$');
