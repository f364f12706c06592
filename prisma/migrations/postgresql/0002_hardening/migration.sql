-- AlterEnum
-- Before 'succeeded', where a fresh database built from the schema has it.
ALTER TYPE "AuditOutcome" ADD VALUE 'initiated' BEFORE 'succeeded';

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "claimAction" TEXT,
ADD COLUMN     "claimExpiresAt" TIMESTAMP(3),
ADD COLUMN     "claimOperationId" INTEGER,
ADD COLUMN     "claimedAt" TIMESTAMP(3),
ADD COLUMN     "claimedById" INTEGER;

-- AlterTable
ALTER TABLE "OperationExecution" ADD COLUMN     "heartbeatAt" TIMESTAMP(3),
ADD COLUMN     "leaseExpiresAt" TIMESTAMP(3),
ADD COLUMN     "ownerId" TEXT;

-- CreateIndex
CREATE INDEX "OperationExecution_status_leaseExpiresAt_idx" ON "OperationExecution"("status", "leaseExpiresAt");

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

