// A bot process that starts environment "chain" and follows it, logging each cloud call the cloud
// accepted (one line per VM) to the file given; the test kills it with SIGKILL mid-run.
import { appendFileSync } from "node:fs";
import { openDatabase } from "../../../src/db/database.js";
import type { CloudProvider, PowerAction, ProviderRegistry } from "../../../src/providers/cloud-provider.js";
import { createSimulatedRegistry } from "../../../src/providers/registry.js";
import { createAuditService } from "../../../src/services/audit-service.js";
import { createEnvironmentService } from "../../../src/services/environments/environment-service.js";
import { createNotificationService } from "../../../src/services/notifications/notification-service.js";
import { createOperationLeases } from "../../../src/services/operation-lease.js";
import { ACTIVE_GRANTS, toActor } from "../../../src/services/user-service.js";

const [url, log] = process.argv.slice(2) as [string, string];
const db = await openDatabase(url);
const simulated = createSimulatedRegistry({ prisma: db.prisma, latencyMs: 300, jitterMs: 0, failureRate: 0, throttleRate: 0, pollIntervalMs: 20 });
const logging = (inner: CloudProvider): CloudProvider =>
  new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== "powerInstances") return Reflect.get(target, property, receiver);
      return async (action: PowerAction, ids: string[]) => {
        const result = await target.powerInstances(action, ids);
        const vms = await db.prisma.vm.findMany({ where: { providerResourceId: { in: ids } } });
        appendFileSync(log, vms.map((vm) => `${action} ${vm.name}\n`).join(""));
        return result;
      };
    },
  });
const providers: ProviderRegistry = { get: (kind) => logging(simulated.get(kind)), kinds: () => simulated.kinds() };
const leases = createOperationLeases({ prisma: db.prisma, ownerId: "child-process", leaseMs: 60_000 });
const audit = createAuditService(db.prisma);
const environments = createEnvironmentService({
  prisma: db.prisma,
  providers,
  audit,
  notifications: createNotificationService({ prisma: db.prisma, audit, ownerId: "child-process" }),
  leases,
  pollIntervalMs: 20,
  heartbeatMs: 100,
});
const user = await db.prisma.user.findFirstOrThrow({ include: ACTIVE_GRANTS }); // the operator, with their access to "chain"
const { operationId } = await environments.requestEnvironmentAction({ actor: toActor(user, user.environmentAccess), source: "slack_command" }, "chain", "start");
appendFileSync(log, `run ${operationId}\n`);
await environments.runExecution(operationId);
appendFileSync(log, "done\n");
await db.close();
