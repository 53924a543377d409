-- The delivery log's newest-first page over (created_at, id): deliveries of one fan-out
-- share created_at, so an index on created_at alone left a sort of every tie before the
-- page was cut (docs/performance.md#delivery-log).
DROP INDEX "webhook_deliveries_created_at_idx";
CREATE INDEX "webhook_deliveries_created_at_id_idx" ON "webhook_deliveries"("created_at", "id");

-- Endpoint health's dead count per endpoint (and facility, for a site manager): a partial
-- index whose equal keys btree deduplication folds into posting lists, about a tenth of
-- the pages of (endpoint_id, status, created_at) (docs/performance.md#endpoint-health).
CREATE INDEX "webhook_deliveries_dead_by_endpoint" ON "webhook_deliveries"("endpoint_id", "facility_id") WHERE (status = 'DEAD'::"DeliveryStatus");
