-- CreateEnum
CREATE TYPE "EnvironmentLevel" AS ENUM ('viewer', 'user', 'admin');

-- CreateEnum
CREATE TYPE "AccessStatus" AS ENUM ('pending', 'active', 'revoked', 'expired');

-- DropIndex
DROP INDEX "EnvironmentAccess_environmentId_userId_idx";

-- DropIndex
DROP INDEX "EnvironmentAccess_expiresAt_idx";

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "driftDetectedAt" TIMESTAMP(3),
ADD COLUMN     "driftExpectedStatus" "VmStatus",
ADD COLUMN     "driftIgnored" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "EnvironmentAccess" DROP COLUMN "role",
ADD COLUMN     "level" "EnvironmentLevel" NOT NULL,
ADD COLUMN     "status" "AccessStatus" NOT NULL DEFAULT 'active',
ADD COLUMN     "warnedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AccessRequest" DROP COLUMN "requestedRole",
ADD COLUMN     "durationHours" INTEGER,
ADD COLUMN     "requestedLevel" "EnvironmentLevel" NOT NULL;

-- AlterTable
ALTER TABLE "EnvironmentLock" ADD COLUMN     "warnedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "dedupeKey" TEXT,
ADD COLUMN     "deliveryLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "deliveryOwner" TEXT,
ADD COLUMN     "dismissedAt" TIMESTAMP(3),
ADD COLUMN     "dmChannel" TEXT,
ADD COLUMN     "dmTs" TEXT,
ADD COLUMN     "link" JSONB,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "readAt" TIMESTAMP(3),
ADD COLUMN     "severity" TEXT NOT NULL DEFAULT 'info';

-- AlterTable
ALTER TABLE "VmStateHistory" ADD COLUMN     "source" TEXT;

-- CreateTable
CREATE TABLE "AccessRequestMessage" (
    "requestId" INTEGER NOT NULL,
    "approverId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,

    CONSTRAINT "AccessRequestMessage_pkey" PRIMARY KEY ("requestId","approverId")
);

-- CreateTable
CREATE TABLE "LockQueueEntry" (
    "id" SERIAL NOT NULL,
    "environmentId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "reason" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "offeredAt" TIMESTAMP(3),
    "offerExpiresAt" TIMESTAMP(3),

    CONSTRAINT "LockQueueEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dm" BOOLEAN NOT NULL,

    CONSTRAINT "NotificationPreference_pkey" PRIMARY KEY ("userId","kind")
);

-- CreateIndex
CREATE INDEX "LockQueueEntry_environmentId_queuedAt_idx" ON "LockQueueEntry"("environmentId", "queuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "LockQueueEntry_environmentId_userId_key" ON "LockQueueEntry"("environmentId", "userId");

-- CreateIndex
CREATE INDEX "EnvironmentAccess_userId_status_idx" ON "EnvironmentAccess"("userId", "status");

-- CreateIndex
CREATE INDEX "EnvironmentAccess_status_expiresAt_idx" ON "EnvironmentAccess"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "EnvironmentAccess_environmentId_userId_key" ON "EnvironmentAccess"("environmentId", "userId");

-- CreateIndex
CREATE INDEX "AccessRequest_status_expiresAt_idx" ON "AccessRequest"("status", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- AddForeignKey
ALTER TABLE "AccessRequestMessage" ADD CONSTRAINT "AccessRequestMessage_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequestMessage" ADD CONSTRAINT "AccessRequestMessage_approverId_fkey" FOREIGN KEY ("approverId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LockQueueEntry" ADD CONSTRAINT "LockQueueEntry_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LockQueueEntry" ADD CONSTRAINT "LockQueueEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationPreference" ADD CONSTRAINT "NotificationPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

