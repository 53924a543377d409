-- A whole customer name in any case, newest first, for booking search's exact-name matches
-- (docs/performance.md#booking-search). An expression index: schema.prisma cannot express
-- it, and Prisma's schema engine leaves it alone (npm run db:check agrees).
CREATE INDEX "bookings_customer_name_lower" ON "bookings" (lower("customer_name"), "created_at");
