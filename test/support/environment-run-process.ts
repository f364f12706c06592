// One bot process for the kill -9 test of an environment run: the real environment service against
// DATABASE_URL with the simulator cloud. Every power call is appended to CALL_LOG ("<process> <action>
// <vm>") BEFORE the cloud is asked, so a call the process died in is counted too.
//   ROLE=request  requests ENVIRONMENT's start as the first user and follows it (heartbeats) until killed
//   ROLE=resume   runs the resume job every 100 ms until it took a run over, follows it to the end, exits
// Timing: LEASE_MS, HEARTBEAT_MS, SIM_LATENCY_MS.
import { appendFileSync } from "node:fs";
import { openDatabase } from "../../src/db/database.js";
import type { CloudProvider, PowerAction, ProviderRegistry } from "../../src/providers/cloud-provider.js";
import { createSimulatedRegistry } from "../../src/providers/registry.js";
import { createNotificationService } from "../../src/services/notifications/notification-service.js";
import { createAuditService } from "../../src/services/audit-service.js";
import { createEnvironmentService } from "../../src/services/environments/environment-service.js";
import { createOperationLeases } from "../../src/services/operation-lease.js";
import { ACTIVE_GRANTS, toActor } from "../../src/services/user-service.js";

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const role = env("ROLE");
const log = env("CALL_LOG");
const report = (line: string) => appendFileSync(log, `${role} ${line} @${Date.now()}\n`);

const db = await openDatabase(env("DATABASE_URL"));
const simulated = createSimulatedRegistry({ prisma: db.prisma, latencyMs: Number(env("SIM_LATENCY_MS", "300")), jitterMs: 0, failureRate: 0, throttleRate: 0, pollIntervalMs: 20 });
const logging = (inner: CloudProvider): CloudProvider =>
  new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== "powerInstances") return Reflect.get(target, property, receiver);
      return async (action: PowerAction, ids: string[]) => {
        const vms = await db.prisma.vm.findMany({ where: { providerResourceId: { in: ids } } });
        for (const vm of vms) report(`call ${action} ${vm.name}`);
        return target.powerInstances(action, ids);
      };
    },
  });
const providers: ProviderRegistry = { get: (kind) => logging(simulated.get(kind)), kinds: () => simulated.kinds() };
const audit = createAuditService(db.prisma);
const ownerId = `${role}-${process.pid}`;
const environments = createEnvironmentService({
  prisma: db.prisma,
  providers,
  audit,
  notifications: createNotificationService({ prisma: db.prisma, audit, ownerId }),
  leases: createOperationLeases({ prisma: db.prisma, ownerId, leaseMs: Number(env("LEASE_MS")) }),
  pollIntervalMs: 20,
  heartbeatMs: Number(env("HEARTBEAT_MS")),
});

if (role === "request") {
  const user = await db.prisma.user.findFirstOrThrow({ include: ACTIVE_GRANTS }); // the operator, with their access to the environment
  const { operationId } = await environments.requestEnvironmentAction({ actor: toActor(user, user.environmentAccess), source: "slack_command" }, env("ENVIRONMENT"), "start");
  report(`run ${operationId}`);
  const final = await environments.runExecution(operationId);
  report(`done ${final.status}`);
} else {
  for (;;) {
    const taken = await environments.resumeAbandonedRuns();
    if (taken.length) {
      report(`took ${taken.join(",")}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  report("done");
}
await db.close();
