-- AlterTable
ALTER TABLE "EnvironmentLock" ADD COLUMN "warnedAt" DATETIME;

-- AlterTable
ALTER TABLE "VmStateHistory" ADD COLUMN "source" TEXT;

-- CreateTable
CREATE TABLE "AccessRequestMessage" (
    "requestId" INTEGER NOT NULL,
    "approverId" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "ts" TEXT NOT NULL,

    PRIMARY KEY ("requestId", "approverId"),
    CONSTRAINT "AccessRequestMessage_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "AccessRequest" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AccessRequestMessage_approverId_fkey" FOREIGN KEY ("approverId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LockQueueEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "environmentId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "reason" TEXT,
    "queuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "offeredAt" DATETIME,
    "offerExpiresAt" DATETIME,
    CONSTRAINT "LockQueueEntry_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LockQueueEntry_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "NotificationPreference" (
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dm" BOOLEAN NOT NULL,

    PRIMARY KEY ("userId", "kind"),
    CONSTRAINT "NotificationPreference_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Vm" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'unknown',
    "statusMessage" TEXT,
    "provider" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "providerResourceId" TEXT NOT NULL,
    "lastAction" TEXT,
    "lastActionAt" DATETIME,
    "groupId" INTEGER,
    "sequencePosition" INTEGER NOT NULL DEFAULT 0,
    "providerState" TEXT,
    "lastSyncedAt" DATETIME,
    "driftDetected" BOOLEAN NOT NULL DEFAULT false,
    "details" JSONB,
    "claimAction" TEXT,
    "claimedById" INTEGER,
    "claimOperationId" INTEGER,
    "claimedAt" DATETIME,
    "claimExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "readinessCheck" JSONB,
    "driftDetectedAt" DATETIME,
    "driftExpectedStatus" TEXT,
    "driftIgnored" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Vm_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "VmGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Vm_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Vm" ("claimAction", "claimExpiresAt", "claimOperationId", "claimedAt", "claimedById", "createdAt", "details", "driftDetected", "groupId", "id", "lastAction", "lastActionAt", "lastSyncedAt", "name", "provider", "providerResourceId", "providerState", "readinessCheck", "region", "sequencePosition", "status", "statusMessage", "updatedAt") SELECT "claimAction", "claimExpiresAt", "claimOperationId", "claimedAt", "claimedById", "createdAt", "details", "driftDetected", "groupId", "id", "lastAction", "lastActionAt", "lastSyncedAt", "name", "provider", "providerResourceId", "providerState", "readinessCheck", "region", "sequencePosition", "status", "statusMessage", "updatedAt" FROM "Vm";
DROP TABLE "Vm";
ALTER TABLE "new_Vm" RENAME TO "Vm";
CREATE UNIQUE INDEX "Vm_name_key" ON "Vm"("name");
CREATE INDEX "Vm_status_idx" ON "Vm"("status");
CREATE INDEX "Vm_provider_idx" ON "Vm"("provider");
CREATE INDEX "Vm_groupId_idx" ON "Vm"("groupId");
CREATE UNIQUE INDEX "Vm_provider_providerResourceId_key" ON "Vm"("provider", "providerResourceId");
CREATE TABLE "new_EnvironmentAccess" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "environmentId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "grantedById" INTEGER,
    "grantedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME,
    "revokedAt" DATETIME,
    "level" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "warnedAt" DATETIME,
    CONSTRAINT "EnvironmentAccess_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EnvironmentAccess_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "EnvironmentAccess_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_EnvironmentAccess" ("environmentId", "expiresAt", "grantedAt", "grantedById", "id", "revokedAt", "userId") SELECT "environmentId", "expiresAt", "grantedAt", "grantedById", "id", "revokedAt", "userId" FROM "EnvironmentAccess";
DROP TABLE "EnvironmentAccess";
ALTER TABLE "new_EnvironmentAccess" RENAME TO "EnvironmentAccess";
CREATE INDEX "EnvironmentAccess_userId_status_idx" ON "EnvironmentAccess"("userId", "status");
CREATE INDEX "EnvironmentAccess_status_expiresAt_idx" ON "EnvironmentAccess"("status", "expiresAt");
CREATE UNIQUE INDEX "EnvironmentAccess_environmentId_userId_key" ON "EnvironmentAccess"("environmentId", "userId");
CREATE TABLE "new_AccessRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "environmentId" INTEGER NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "reason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" INTEGER,
    "decidedAt" DATETIME,
    "decisionNote" TEXT,
    "expiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationHours" INTEGER,
    "requestedLevel" TEXT NOT NULL,
    CONSTRAINT "AccessRequest_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AccessRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AccessRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_AccessRequest" ("createdAt", "decidedAt", "decidedById", "decisionNote", "environmentId", "expiresAt", "id", "reason", "requesterId", "status") SELECT "createdAt", "decidedAt", "decidedById", "decisionNote", "environmentId", "expiresAt", "id", "reason", "requesterId", "status" FROM "AccessRequest";
DROP TABLE "AccessRequest";
ALTER TABLE "new_AccessRequest" RENAME TO "AccessRequest";
CREATE INDEX "AccessRequest_environmentId_status_idx" ON "AccessRequest"("environmentId", "status");
CREATE INDEX "AccessRequest_requesterId_status_idx" ON "AccessRequest"("requesterId", "status");
CREATE INDEX "AccessRequest_status_expiresAt_idx" ON "AccessRequest"("status", "expiresAt");
CREATE TABLE "new_Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "dedupeKey" TEXT,
    "deliveryLeaseUntil" DATETIME,
    "deliveryOwner" TEXT,
    "dismissedAt" DATETIME,
    "dmChannel" TEXT,
    "dmTs" TEXT,
    "link" JSONB,
    "nextAttemptAt" DATETIME,
    "readAt" DATETIME,
    "severity" TEXT NOT NULL DEFAULT 'info',
    CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Notification" ("createdAt", "error", "id", "kind", "payload", "sentAt", "status", "userId") SELECT "createdAt", "error", "id", "kind", "payload", "sentAt", "status", "userId" FROM "Notification";
DROP TABLE "Notification";
ALTER TABLE "new_Notification" RENAME TO "Notification";
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");
CREATE INDEX "Notification_status_createdAt_idx" ON "Notification"("status", "createdAt");
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LockQueueEntry_environmentId_queuedAt_idx" ON "LockQueueEntry"("environmentId", "queuedAt");

-- CreateIndex
CREATE UNIQUE INDEX "LockQueueEntry_environmentId_userId_key" ON "LockQueueEntry"("environmentId", "userId");

