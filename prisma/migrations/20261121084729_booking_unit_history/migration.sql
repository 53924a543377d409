-- CreateIndex
CREATE INDEX "bookings_unit_id_created_at_idx" ON "bookings"("unit_id", "created_at");
