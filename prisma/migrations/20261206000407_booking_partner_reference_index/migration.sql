-- CreateIndex
CREATE INDEX "bookings_partner_booking_reference_idx" ON "bookings"("partner_booking_reference");
