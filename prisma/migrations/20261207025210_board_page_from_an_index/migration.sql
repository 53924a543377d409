-- The inventory board reads a facility's units from this index alone (docs/performance.md#inventory-board):
-- its counts per unit type and status, its list of floors, and the sort that picks a page
-- (type, natural code key, id); only the page's own units are then read from the table.
-- A facility's units lie about one to a heap page once they have been updated a few times,
-- so each of those reads used to visit ~1,750 pages for ~2,000 units.

-- CreateIndex
CREATE INDEX "units_facility_id_unit_type_id_status_floor_code_sort_key_i_idx" ON "units"("facility_id", "unit_type_id", "status", "floor", "code_sort_key", "id");
