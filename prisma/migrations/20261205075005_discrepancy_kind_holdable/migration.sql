-- AlterEnum
ALTER TYPE "DiscrepancyKind" ADD VALUE 'HOLDABLE';
