-- AlterTable
ALTER TABLE "Vm" ADD COLUMN "readinessCheck" JSONB;

-- AlterTable
ALTER TABLE "OperationExecution" ADD COLUMN "plan" JSONB;

-- AlterTable
ALTER TABLE "OperationVm" ADD COLUMN "phase" TEXT;
ALTER TABLE "OperationVm" ADD COLUMN "providerCalledAt" DATETIME;
ALTER TABLE "OperationVm" ADD COLUMN "readyAt" DATETIME;
ALTER TABLE "OperationVm" ADD COLUMN "waitingFor" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_VmGroup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "environmentId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "sequencePosition" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settleSeconds" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "VmGroup_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_VmGroup" ("createdAt", "environmentId", "id", "name", "sequencePosition") SELECT "createdAt", "environmentId", "id", "name", "sequencePosition" FROM "VmGroup";
DROP TABLE "VmGroup";
ALTER TABLE "new_VmGroup" RENAME TO "VmGroup";
CREATE UNIQUE INDEX "VmGroup_environmentId_name_key" ON "VmGroup"("environmentId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

