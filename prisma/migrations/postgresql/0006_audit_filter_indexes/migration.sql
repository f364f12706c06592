-- CreateIndex
CREATE INDEX "AuditLog_vmName_at_idx" ON "AuditLog"("vmName", "at");

-- CreateIndex
CREATE INDEX "AuditLog_userId_action_at_idx" ON "AuditLog"("userId", "action", "at");

