-- Read paths at a real operator's size (docs/performance.md).
-- pg_trgm ships with PostgreSQL (contrib; the embedded server has it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- DropIndex
DROP INDEX "webhook_attempts_endpoint_id_started_at_idx";

-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "facility_id" UUID;

-- Backfill: the facility of each delivery's event.
UPDATE "webhook_deliveries" d SET "facility_id" = e."facility_id"
FROM "events" e WHERE e."id" = d."event_id" AND e."facility_id" IS NOT NULL;

-- Fan-out sets facility_id itself; any other writer (replays, tests, fixtures) gets the
-- event's facility filled in, so the column never disagrees with the event.
CREATE FUNCTION webhook_deliveries_facility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.facility_id IS NULL THEN
    SELECT e.facility_id INTO NEW.facility_id FROM events e WHERE e.id = NEW.event_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER webhook_deliveries_facility BEFORE INSERT ON "webhook_deliveries"
  FOR EACH ROW EXECUTE FUNCTION webhook_deliveries_facility();

-- CreateIndex
CREATE INDEX "audit_entries_target_id_idx" ON "audit_entries"("target_id");

-- CreateIndex
CREATE INDEX "audit_entries_actor_label_trgm" ON "audit_entries" USING GIN ("actor_label" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "audit_entries_rare_results" ON "audit_entries"("result", "occurred_at") WHERE (result <> 'SUCCESS'::"AuditResult");

-- CreateIndex
CREATE INDEX "bookings_customer_name_trgm" ON "bookings" USING GIN ("customer_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "bookings_customer_email_trgm" ON "bookings" USING GIN ("customer_email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "units_code_idx" ON "units"("code");

-- CreateIndex
CREATE INDEX "webhook_attempts_endpoint_health" ON "webhook_attempts"("endpoint_id", "started_at", "response_status", "duration_ms");

-- CreateIndex
CREATE INDEX "webhook_deliveries_facility_id_created_at_idx" ON "webhook_deliveries"("facility_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_undelivered" ON "webhook_deliveries"("created_at") WHERE (status = ANY (ARRAY['PENDING'::"DeliveryStatus", 'RETRYING'::"DeliveryStatus"]));

-- CreateIndex
CREATE INDEX "webhook_deliveries_dead" ON "webhook_deliveries"("created_at") WHERE (status = 'DEAD'::"DeliveryStatus");
