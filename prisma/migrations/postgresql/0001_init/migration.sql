-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateEnum
CREATE TYPE "VmStatus" AS ENUM ('running', 'stopped', 'starting', 'stopping', 'rebooting', 'error', 'unknown');

-- CreateEnum
CREATE TYPE "ProviderKind" AS ENUM ('aws', 'azure', 'gcp', 'oci', 'simulator');

-- CreateEnum
CREATE TYPE "SnapshotStatus" AS ENUM ('creating', 'available', 'restoring', 'deleting', 'error');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('succeeded', 'failed', 'denied');

-- CreateEnum
CREATE TYPE "AuditSource" AS ENUM ('slack_command', 'slack_button', 'slack_modal', 'slack_home', 'schedule', 'system');

-- CreateEnum
CREATE TYPE "AccessRequestStatus" AS ENUM ('pending', 'approved', 'denied', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateEnum
CREATE TYPE "OperationStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'partial');

-- CreateEnum
CREATE TYPE "VmOperationStatus" AS ENUM ('pending', 'running', 'succeeded', 'failed', 'noop', 'skipped');

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "teamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "displayName" TEXT,
    "email" TEXT,
    "role" "Role" NOT NULL DEFAULT 'viewer',
    "envAdmin" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastSeenAt" TIMESTAMP(3),
    "lastLoginAt" TIMESTAMP(3),
    "sessionOpen" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Environment" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VmGroup" (
    "id" SERIAL NOT NULL,
    "environmentId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "sequencePosition" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VmGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GroupDependency" (
    "groupId" INTEGER NOT NULL,
    "dependsOnGroupId" INTEGER NOT NULL,

    CONSTRAINT "GroupDependency_pkey" PRIMARY KEY ("groupId","dependsOnGroupId")
);

-- CreateTable
CREATE TABLE "Vm" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "status" "VmStatus" NOT NULL DEFAULT 'unknown',
    "statusMessage" TEXT,
    "provider" "ProviderKind" NOT NULL,
    "region" TEXT NOT NULL,
    "providerResourceId" TEXT NOT NULL,
    "lastAction" TEXT,
    "lastActionAt" TIMESTAMP(3),
    "groupId" INTEGER,
    "sequencePosition" INTEGER NOT NULL DEFAULT 0,
    "providerState" TEXT,
    "lastSyncedAt" TIMESTAMP(3),
    "driftDetected" BOOLEAN NOT NULL DEFAULT false,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Vm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VmTag" (
    "vmId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "VmTag_pkey" PRIMARY KEY ("vmId","key")
);

-- CreateTable
CREATE TABLE "VmDependency" (
    "vmId" INTEGER NOT NULL,
    "dependsOnVmId" INTEGER NOT NULL,

    CONSTRAINT "VmDependency_pkey" PRIMARY KEY ("vmId","dependsOnVmId")
);

-- CreateTable
CREATE TABLE "Snapshot" (
    "id" SERIAL NOT NULL,
    "vmId" INTEGER NOT NULL,
    "createdById" INTEGER,
    "name" TEXT NOT NULL,
    "providerSnapshotId" TEXT,
    "status" "SnapshotStatus" NOT NULL DEFAULT 'creating',
    "statusMessage" TEXT,
    "sizeGb" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" INTEGER,
    "vmId" INTEGER,
    "vmName" TEXT,
    "environmentId" INTEGER,
    "action" TEXT NOT NULL,
    "outcome" "AuditOutcome" NOT NULL,
    "source" "AuditSource" NOT NULL,
    "details" JSONB,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnvironmentAccess" (
    "id" SERIAL NOT NULL,
    "environmentId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "role" "Role" NOT NULL,
    "grantedById" INTEGER,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "EnvironmentAccess_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessRequest" (
    "id" SERIAL NOT NULL,
    "environmentId" INTEGER NOT NULL,
    "requesterId" INTEGER NOT NULL,
    "requestedRole" "Role" NOT NULL,
    "reason" TEXT,
    "status" "AccessRequestStatus" NOT NULL DEFAULT 'pending',
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnvironmentLock" (
    "id" SERIAL NOT NULL,
    "environmentId" INTEGER NOT NULL,
    "holderId" INTEGER NOT NULL,
    "reason" TEXT,
    "acquiredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "EnvironmentLock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LockHistory" (
    "id" SERIAL NOT NULL,
    "environmentId" INTEGER NOT NULL,
    "userId" INTEGER,
    "event" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LockHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperationExecution" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "OperationStatus" NOT NULL DEFAULT 'pending',
    "requestedById" INTEGER,
    "environmentId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "OperationExecution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperationVm" (
    "id" SERIAL NOT NULL,
    "operationId" INTEGER NOT NULL,
    "vmId" INTEGER NOT NULL,
    "targetState" "VmStatus" NOT NULL,
    "status" "VmOperationStatus" NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "OperationVm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VmStateHistory" (
    "id" SERIAL NOT NULL,
    "vmId" INTEGER NOT NULL,
    "fromStatus" "VmStatus",
    "toStatus" "VmStatus" NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VmStateHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedDelivery" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedDelivery_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SimulatedInstance" (
    "resourceId" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'simulator',
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "targetState" TEXT,
    "transitionEndsAt" TIMESTAMP(3),
    "stateMessage" TEXT,
    "details" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SimulatedInstance_pkey" PRIMARY KEY ("resourceId")
);

-- CreateTable
CREATE TABLE "SimulatedSnapshot" (
    "snapshotId" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "sizeGb" INTEGER NOT NULL,
    "transitionEndsAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimulatedSnapshot_pkey" PRIMARY KEY ("snapshotId")
);

-- CreateIndex
CREATE INDEX "User_role_idx" ON "User"("role");

-- CreateIndex
CREATE UNIQUE INDEX "User_teamId_slackUserId_key" ON "User"("teamId", "slackUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Environment_name_key" ON "Environment"("name");

-- CreateIndex
CREATE UNIQUE INDEX "VmGroup_environmentId_name_key" ON "VmGroup"("environmentId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Vm_name_key" ON "Vm"("name");

-- CreateIndex
CREATE INDEX "Vm_status_idx" ON "Vm"("status");

-- CreateIndex
CREATE INDEX "Vm_provider_idx" ON "Vm"("provider");

-- CreateIndex
CREATE INDEX "Vm_groupId_idx" ON "Vm"("groupId");

-- CreateIndex
CREATE UNIQUE INDEX "Vm_provider_providerResourceId_key" ON "Vm"("provider", "providerResourceId");

-- CreateIndex
CREATE INDEX "VmTag_key_value_idx" ON "VmTag"("key", "value");

-- CreateIndex
CREATE INDEX "Snapshot_vmId_createdAt_idx" ON "Snapshot"("vmId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "AuditLog_userId_at_idx" ON "AuditLog"("userId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");

-- CreateIndex
CREATE INDEX "AuditLog_vmId_at_idx" ON "AuditLog"("vmId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_environmentId_at_idx" ON "AuditLog"("environmentId", "at");

-- CreateIndex
CREATE INDEX "EnvironmentAccess_environmentId_userId_idx" ON "EnvironmentAccess"("environmentId", "userId");

-- CreateIndex
CREATE INDEX "EnvironmentAccess_expiresAt_idx" ON "EnvironmentAccess"("expiresAt");

-- CreateIndex
CREATE INDEX "AccessRequest_environmentId_status_idx" ON "AccessRequest"("environmentId", "status");

-- CreateIndex
CREATE INDEX "AccessRequest_requesterId_status_idx" ON "AccessRequest"("requesterId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "EnvironmentLock_environmentId_key" ON "EnvironmentLock"("environmentId");

-- CreateIndex
CREATE INDEX "EnvironmentLock_expiresAt_idx" ON "EnvironmentLock"("expiresAt");

-- CreateIndex
CREATE INDEX "LockHistory_environmentId_at_idx" ON "LockHistory"("environmentId", "at");

-- CreateIndex
CREATE INDEX "Notification_status_createdAt_idx" ON "Notification"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "OperationExecution_status_createdAt_idx" ON "OperationExecution"("status", "createdAt");

-- CreateIndex
CREATE INDEX "OperationVm_vmId_idx" ON "OperationVm"("vmId");

-- CreateIndex
CREATE UNIQUE INDEX "OperationVm_operationId_vmId_key" ON "OperationVm"("operationId", "vmId");

-- CreateIndex
CREATE INDEX "VmStateHistory_vmId_at_idx" ON "VmStateHistory"("vmId", "at");

-- CreateIndex
CREATE INDEX "ProcessedDelivery_createdAt_idx" ON "ProcessedDelivery"("createdAt");

-- CreateIndex
CREATE INDEX "SimulatedSnapshot_resourceId_idx" ON "SimulatedSnapshot"("resourceId");

-- AddForeignKey
ALTER TABLE "VmGroup" ADD CONSTRAINT "VmGroup_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupDependency" ADD CONSTRAINT "GroupDependency_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "VmGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GroupDependency" ADD CONSTRAINT "GroupDependency_dependsOnGroupId_fkey" FOREIGN KEY ("dependsOnGroupId") REFERENCES "VmGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Vm" ADD CONSTRAINT "Vm_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "VmGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmTag" ADD CONSTRAINT "VmTag_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmDependency" ADD CONSTRAINT "VmDependency_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmDependency" ADD CONSTRAINT "VmDependency_dependsOnVmId_fkey" FOREIGN KEY ("dependsOnVmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLog" ADD CONSTRAINT "AuditLog_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentAccess" ADD CONSTRAINT "EnvironmentAccess_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentAccess" ADD CONSTRAINT "EnvironmentAccess_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentAccess" ADD CONSTRAINT "EnvironmentAccess_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_requesterId_fkey" FOREIGN KEY ("requesterId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentLock" ADD CONSTRAINT "EnvironmentLock_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentLock" ADD CONSTRAINT "EnvironmentLock_holderId_fkey" FOREIGN KEY ("holderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LockHistory" ADD CONSTRAINT "LockHistory_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LockHistory" ADD CONSTRAINT "LockHistory_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperationExecution" ADD CONSTRAINT "OperationExecution_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperationExecution" ADD CONSTRAINT "OperationExecution_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperationVm" ADD CONSTRAINT "OperationVm_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "OperationExecution"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OperationVm" ADD CONSTRAINT "OperationVm_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VmStateHistory" ADD CONSTRAINT "VmStateHistory_vmId_fkey" FOREIGN KEY ("vmId") REFERENCES "Vm"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SimulatedSnapshot" ADD CONSTRAINT "SimulatedSnapshot_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "SimulatedInstance"("resourceId") ON DELETE CASCADE ON UPDATE CASCADE;

