// `npm run seed -- --reset`: empties every application table, the simulated cloud's included.
// Children before parents, so it works whatever the foreign keys cascade.
import type { PrismaClient } from "../db/database.js";

export async function wipeApplicationTables(prisma: PrismaClient): Promise<void> {
  await prisma.$transaction([
    prisma.auditLog.deleteMany(),
    prisma.operationVm.deleteMany(),
    prisma.operationExecution.deleteMany(),
    prisma.vmStateHistory.deleteMany(),
    prisma.snapshot.deleteMany(),
    prisma.vmTag.deleteMany(),
    prisma.vmDependency.deleteMany(),
    prisma.notification.deleteMany(),
    prisma.environmentAccess.deleteMany(),
    prisma.accessRequest.deleteMany(),
    prisma.environmentLock.deleteMany(),
    prisma.lockHistory.deleteMany(),
    prisma.vm.deleteMany(),
    prisma.groupDependency.deleteMany(),
    prisma.vmGroup.deleteMany(),
    prisma.environment.deleteMany(),
    prisma.user.deleteMany(),
    prisma.processedDelivery.deleteMany(),
    prisma.simulatedSnapshot.deleteMany(),
    prisma.simulatedInstance.deleteMany(),
  ]);
}
