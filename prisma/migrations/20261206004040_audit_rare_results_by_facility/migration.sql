-- CreateIndex
CREATE INDEX "audit_entries_rare_results_by_facility" ON "audit_entries"("facility_id", "result", "occurred_at") WHERE (result <> 'SUCCESS'::"AuditResult");
