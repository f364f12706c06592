-- AlterTable
ALTER TABLE "OperationExecution" ADD COLUMN "heartbeatAt" DATETIME;
ALTER TABLE "OperationExecution" ADD COLUMN "leaseExpiresAt" DATETIME;
ALTER TABLE "OperationExecution" ADD COLUMN "ownerId" TEXT;

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
    CONSTRAINT "Vm_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "VmGroup" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Vm_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Vm" ("createdAt", "details", "driftDetected", "groupId", "id", "lastAction", "lastActionAt", "lastSyncedAt", "name", "provider", "providerResourceId", "providerState", "region", "sequencePosition", "status", "statusMessage", "updatedAt") SELECT "createdAt", "details", "driftDetected", "groupId", "id", "lastAction", "lastActionAt", "lastSyncedAt", "name", "provider", "providerResourceId", "providerState", "region", "sequencePosition", "status", "statusMessage", "updatedAt" FROM "Vm";
DROP TABLE "Vm";
ALTER TABLE "new_Vm" RENAME TO "Vm";
CREATE UNIQUE INDEX "Vm_name_key" ON "Vm"("name");
CREATE INDEX "Vm_status_idx" ON "Vm"("status");
CREATE INDEX "Vm_provider_idx" ON "Vm"("provider");
CREATE INDEX "Vm_groupId_idx" ON "Vm"("groupId");
CREATE UNIQUE INDEX "Vm_provider_providerResourceId_key" ON "Vm"("provider", "providerResourceId");
CREATE TABLE "new_Snapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "vmId" INTEGER,
    "createdById" INTEGER,
    "name" TEXT NOT NULL,
    "providerSnapshotId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'creating',
    "statusMessage" TEXT,
    "sizeGb" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "completedAt" DATETIME,
    CONSTRAINT "Snapshot_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Snapshot_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Snapshot" ("completedAt", "createdAt", "createdById", "id", "name", "providerSnapshotId", "sizeGb", "status", "statusMessage", "updatedAt", "vmId") SELECT "completedAt", "createdAt", "createdById", "id", "name", "providerSnapshotId", "sizeGb", "status", "statusMessage", "updatedAt", "vmId" FROM "Snapshot";
DROP TABLE "Snapshot";
ALTER TABLE "new_Snapshot" RENAME TO "Snapshot";
CREATE INDEX "Snapshot_vmId_createdAt_idx" ON "Snapshot"("vmId", "createdAt");
CREATE TABLE "new_VmStateHistory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "vmId" INTEGER,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "reason" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "VmStateHistory_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_VmStateHistory" ("at", "fromStatus", "id", "reason", "toStatus", "vmId") SELECT "at", "fromStatus", "id", "reason", "toStatus", "vmId" FROM "VmStateHistory";
DROP TABLE "VmStateHistory";
ALTER TABLE "new_VmStateHistory" RENAME TO "VmStateHistory";
CREATE INDEX "VmStateHistory_vmId_at_idx" ON "VmStateHistory"("vmId", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OperationExecution_status_leaseExpiresAt_idx" ON "OperationExecution"("status", "leaseExpiresAt");

