-- AlterTable
ALTER TABLE "VmGroup" ADD COLUMN     "settleSeconds" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Vm" ADD COLUMN     "readinessCheck" JSONB;

-- AlterTable
ALTER TABLE "OperationExecution" ADD COLUMN     "plan" JSONB;

-- AlterTable
ALTER TABLE "OperationVm" ADD COLUMN     "phase" TEXT,
ADD COLUMN     "providerCalledAt" TIMESTAMP(3),
ADD COLUMN     "readyAt" TIMESTAMP(3),
ADD COLUMN     "waitingFor" TEXT;

