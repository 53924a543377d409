-- AlterTable
ALTER TABLE "bookings" ADD COLUMN     "customer_erased_at" TIMESTAMPTZ(3);
