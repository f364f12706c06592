-- CreateTable
CREATE TABLE "JobRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "job" TEXT NOT NULL,
    "tick" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "startedAt" DATETIME NOT NULL,
    "leaseExpiresAt" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "records" INTEGER,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "AuditDigest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "target" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "environment" TEXT,
    "periodStart" DATETIME NOT NULL,
    "periodEnd" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "ownerId" TEXT,
    "leaseExpiresAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "messageTs" TEXT,
    "postedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "JobRun_job_startedAt_idx" ON "JobRun"("job", "startedAt");

-- CreateIndex
CREATE INDEX "JobRun_status_leaseExpiresAt_idx" ON "JobRun"("status", "leaseExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "JobRun_job_tick_key" ON "JobRun"("job", "tick");

-- CreateIndex
CREATE INDEX "AuditDigest_target_periodEnd_idx" ON "AuditDigest"("target", "periodEnd");

-- CreateIndex
CREATE INDEX "AuditDigest_status_idx" ON "AuditDigest"("status");

-- CreateIndex
CREATE UNIQUE INDEX "AuditDigest_target_periodStart_key" ON "AuditDigest"("target", "periodStart");

