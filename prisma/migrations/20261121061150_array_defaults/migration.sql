-- AlterTable
ALTER TABLE "api_keys" ALTER COLUMN "scopes" SET DEFAULT ARRAY[]::TEXT[],
ALTER COLUMN "facility_ids" SET DEFAULT ARRAY[]::UUID[];

-- AlterTable
ALTER TABLE "reconciliation_runs" ALTER COLUMN "kinds" SET DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "webhook_attempts" ALTER COLUMN "signed_with" SET DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "webhook_endpoints" ALTER COLUMN "event_types" SET DEFAULT ARRAY[]::TEXT[];

-- Written by hand: lists are never NULL (an empty list means "none" or "all", as documented).
UPDATE "api_keys" SET "scopes" = '{}' WHERE "scopes" IS NULL;
UPDATE "api_keys" SET "facility_ids" = '{}' WHERE "facility_ids" IS NULL;
UPDATE "reconciliation_runs" SET "kinds" = '{}' WHERE "kinds" IS NULL;
UPDATE "webhook_attempts" SET "signed_with" = '{}' WHERE "signed_with" IS NULL;
UPDATE "webhook_endpoints" SET "event_types" = '{}' WHERE "event_types" IS NULL;
ALTER TABLE "api_keys" ALTER COLUMN "scopes" SET NOT NULL, ALTER COLUMN "facility_ids" SET NOT NULL;
ALTER TABLE "reconciliation_runs" ALTER COLUMN "kinds" SET NOT NULL;
ALTER TABLE "webhook_attempts" ALTER COLUMN "signed_with" SET NOT NULL;
ALTER TABLE "webhook_endpoints" ALTER COLUMN "event_types" SET NOT NULL;
