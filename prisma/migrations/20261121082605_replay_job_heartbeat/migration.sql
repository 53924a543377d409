-- AlterTable
ALTER TABLE "replay_jobs" ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3),
ADD COLUMN     "runner_token" UUID;
