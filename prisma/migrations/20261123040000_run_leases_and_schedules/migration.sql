-- DropIndex
DROP INDEX "runs_status_idx";

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "attempts" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "cancel_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "cancel_requested_by" TEXT,
ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "lease_owner" TEXT,
ADD COLUMN     "max_attempts" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "not_before" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "source_settings" ADD COLUMN     "schedule_jitter_seconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "schedule_paused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "schedule_timezone" TEXT;

-- CreateTable
CREATE TABLE "scheduled_slots" (
    "job" TEXT NOT NULL,
    "slot" TIMESTAMPTZ(3) NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scheduled_slots_pkey" PRIMARY KEY ("job","slot")
);

-- CreateIndex
CREATE INDEX "runs_status_not_before_idx" ON "runs"("status", "not_before");
