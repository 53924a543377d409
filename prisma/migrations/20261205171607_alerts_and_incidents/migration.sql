-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('TRIGGERED', 'ACKNOWLEDGED', 'RESOLVED');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "incident_email_min_severity" "Severity";

-- CreateTable
CREATE TABLE "incidents" (
    "id" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_label" TEXT NOT NULL,
    "facility_id" UUID,
    "partner_id" UUID,
    "severity" "Severity" NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'TRIGGERED',
    "summary" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "opened_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "reopen_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "incidents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident_timeline" (
    "id" BIGSERIAL NOT NULL,
    "incident_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_label" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "note" TEXT,

    CONSTRAINT "incident_timeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rule_overrides" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "rule" TEXT NOT NULL,
    "scope_type" TEXT NOT NULL,
    "scope_id" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION,
    "severity" "Severity",
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rule_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_cursors" (
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "last_entry_id" BIGINT NOT NULL,
    "last_sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_cursors_pkey" PRIMARY KEY ("channel","recipient")
);

-- CreateTable
CREATE TABLE "caught_mail" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "from_address" TEXT NOT NULL,
    "to_addresses" TEXT[],
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "caught_mail_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "incidents_rule_subject_type_subject_id_resolved_at_idx" ON "incidents"("rule", "subject_type", "subject_id", "resolved_at");

-- CreateIndex
CREATE INDEX "incidents_status_opened_at_idx" ON "incidents"("status", "opened_at");

-- CreateIndex
CREATE INDEX "incidents_facility_id_status_idx" ON "incidents"("facility_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "incidents_one_open_per_subject" ON "incidents"("rule", "subject_type", "subject_id") WHERE (status <> 'RESOLVED'::"IncidentStatus");

-- CreateIndex
CREATE INDEX "incident_timeline_incident_id_id_idx" ON "incident_timeline"("incident_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rule_overrides_rule_scope_type_scope_id_key" ON "alert_rule_overrides"("rule", "scope_type", "scope_id");

-- CreateIndex
CREATE INDEX "caught_mail_sent_at_idx" ON "caught_mail"("sent_at");

-- AddForeignKey
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incidents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What Prisma cannot express
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_kind_check"
  CHECK (kind IN ('TRIGGERED', 'ESCALATED', 'DOWNGRADED', 'ACKNOWLEDGED', 'RESOLVED', 'REOPENED', 'NOTE'));
ALTER TABLE "alert_rule_overrides" ADD CONSTRAINT "alert_rule_overrides_scope_type_check"
  CHECK (scope_type IN ('FACILITY', 'PARTNER', 'ENDPOINT'));
