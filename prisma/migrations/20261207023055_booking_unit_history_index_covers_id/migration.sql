-- A unit's booking history index carries the booking id too, so the booking search's page of
-- a unit code's newest bookings is read from the index alone instead of one heap page per
-- booking the code ever had (docs/performance.md#booking-search). The new index is built
-- before the old one is dropped, so the unit drawer always has one to use.

-- CreateIndex
CREATE INDEX "bookings_unit_id_created_at_id_idx" ON "bookings"("unit_id", "created_at", "id");

-- DropIndex
DROP INDEX "bookings_unit_id_created_at_idx";
