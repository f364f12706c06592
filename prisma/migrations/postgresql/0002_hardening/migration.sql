-- AlterEnum
-- Before 'succeeded', where a fresh database built from the schema has it.
ALTER TYPE "AuditOutcome" ADD VALUE 'initiated' BEFORE 'succeeded';

-- DropForeignKey
ALTER TABLE "Snapshot" DROP CONSTRAINT "Snapshot_vmId_fkey";

-- DropForeignKey
ALTER TABLE "VmStateHistory" DROP CONSTRAINT "VmStateHistory_vmId_fkey";

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "claimAction" TEXT,
ADD COLUMN     "claimExpiresAt" TIMESTAMP(3),
ADD COLUMN     "claimOperationId" INTEGER,
ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "claimedById" INTEGER;

-- AlterTable
ALTER TABLE "Snapshot" ALTER COLUMN "vmId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "OperationExecution" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "ownerId" TEXT;

-- AlterTable
ALTER TABLE "VmStateHistory" ALTER COLUMN "vmId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "OperationExecution_status_leaseExpiresAt_idx" ON "OperationExecution"("status", "leaseExpiresAt");

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmStateHistory" ADD CONSTRAINT "VmStateHistory_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE SET NULL ON UPDATE CASCADE;

