-- AlterEnum
ALTER TYPE "AccessGrantStatus" ADD VALUE 'SUSPENDED';

-- AlterEnum
ALTER TYPE "BookingStatus" ADD VALUE 'MOVED_OUT';

-- AlterTable
ALTER TABLE "access_grants" ADD COLUMN     "suspended_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "bookings" ADD COLUMN     "moved_out_at" TIMESTAMPTZ(3);
