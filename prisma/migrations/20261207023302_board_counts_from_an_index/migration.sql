-- The inventory board's counts per unit type and status, and its list of floors, are read from
-- this index alone, not from a heap page per unit of the facility (docs/performance.md#inventory-board).

-- CreateIndex
CREATE INDEX "units_facility_id_unit_type_id_status_floor_idx" ON "units"("facility_id", "unit_type_id", "status", "floor");
