-- AlterTable
ALTER TABLE "partners" ADD COLUMN     "technical_contact_email" TEXT;
