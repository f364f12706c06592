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
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "OperationExecution_status_leaseExpiresAt_idx" ON "OperationExecution"("status", "leaseExpiresAt");

